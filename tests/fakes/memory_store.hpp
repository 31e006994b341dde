#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/audit_event.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::testing {

// What the outbox knows about delivering one notification.
struct Delivery {
  std::optional<Instant> sent_at;
  std::optional<std::int64_t> message_id;
  std::optional<Instant> failed_at;
  std::string failure;
  std::optional<Instant> next_attempt_at;
  std::string leased_by;
  std::optional<Instant> leased_until;
};

// Everything the in-memory store holds; tests read it through MemoryStore::snapshot().
struct MemoryState {
  std::map<std::int64_t, User> users;
  std::map<std::int64_t, Account> accounts;
  std::map<std::int64_t, Lottery> lotteries;
  std::map<std::int64_t, std::vector<AccountId>> entries;  // by lottery; index = ordinal
  std::map<std::int64_t, Winner> winners;
  std::map<std::int64_t, WinnerVerification> verifications;  // by winner id
  std::map<std::int64_t, SmsChallenge> challenges;           // by winner id (R-2FA-1)
  std::vector<Notification> outbox;
  std::map<std::int64_t, Delivery> deliveries;  // by notification id
  std::vector<AuditEvent> audit;
  std::map<std::pair<std::int64_t, std::int64_t>, Dialogue> dialogues;  // by chat, user
  std::map<std::int64_t, Instant> processed_updates;
  std::map<std::string, std::int64_t> sequences;  // the last id given, per table
};

// An in-memory implementation of every storage port. Transactions run one at a time
// (each holds the store's lock from begin to its end) on a copy of the state that
// replaces the store's state on commit, so rollback and atomicity are real.
class MemoryStore : public TransactionManager, public UpdateTransactionManager {
 public:
  std::unique_ptr<Transaction> begin() override;
  // Like begin() (the store's lock already gives every unit of work a snapshot), but
  // every write throws StorageError (rejected), as PostgreSQL's READ ONLY refuses it.
  std::unique_ptr<Transaction> begin_read_only() override;
  std::unique_ptr<UpdateTransaction> begin_update() override;

  // The committed state.
  [[nodiscard]] MemoryState snapshot() const;

  // Called before every write with the operation's name ("winners.insert", ...) and
  // before every commit ("commit"); a test throws from it to inject a failure.
  void set_write_hook(std::function<void(std::string_view)> hook);

 private:
  friend class MemoryTransaction;
  mutable std::mutex mutex_;
  MemoryState state_;
  std::function<void(std::string_view)> write_hook_;
};

}  // namespace lottery::testing
