#pragma once

#include "lottery/core/settings.hpp"
#include "lottery/ports/clock.hpp"
#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/random_source.hpp"
#include "lottery/ports/sms_gateway.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery {

// How many times a unit of work that lost a race with a concurrent one (a conflict) is
// tried in all (retry_conflicts, lottery/core/conflict_retry.hpp).
inline constexpr int kConflictAttempts = 3;

// Who tries a unit of work again after a conflict: the use case, when its unit of work
// is a transaction of its own; or the caller whose larger unit of work it is part of
// (the chat layer, which tries the whole update again), so that retries never nest.
enum class ConflictRetry { kByUseCase, kByCaller };

// What every use case needs from outside the core. The referenced ports must outlive
// the services built from it.
struct Dependencies {
  TransactionManager& transactions;
  Clock& clock;
  RandomSource& random;  // secure: codes, tokens, lottery seeds
  DrawRandomness& draw_randomness;
  Settings settings;
  // The SMS gateway of the second factor (R-2FA-1); none: button confirmations need no
  // second factor.
  SmsGateway* sms{nullptr};
  ConflictRetry conflicts{ConflictRetry::kByUseCase};
};

}  // namespace lottery
