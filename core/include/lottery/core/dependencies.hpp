#pragma once

#include "lottery/core/settings.hpp"
#include "lottery/ports/clock.hpp"
#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/random_source.hpp"
#include "lottery/ports/sms_gateway.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery {

// How many times a unit of work that lost a race with a concurrent one (a conflict) is
// tried in all: by the use cases, and by the chat layer for a whole update.
inline constexpr int kConflictAttempts = 3;

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
};

}  // namespace lottery
