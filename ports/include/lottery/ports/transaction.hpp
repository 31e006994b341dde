#pragma once

#include <memory>

#include "lottery/ports/account_repository.hpp"
#include "lottery/ports/audit_log.hpp"
#include "lottery/ports/entry_repository.hpp"
#include "lottery/ports/lottery_repository.hpp"
#include "lottery/ports/outbox.hpp"
#include "lottery/ports/report_queries.hpp"
#include "lottery/ports/user_repository.hpp"
#include "lottery/ports/winner_repository.hpp"

namespace lottery {

// A unit of work on the domain's repositories: everything done through them commits
// together or not at all. Destroying it without commit() rolls everything back. (The
// chat layer's own repositories are in UpdateTransaction, which extends this one.)
class Transaction {
 public:
  virtual ~Transaction() = default;

  [[nodiscard]] virtual UserRepository& users() = 0;
  [[nodiscard]] virtual AccountRepository& accounts() = 0;
  [[nodiscard]] virtual LotteryRepository& lotteries() = 0;
  [[nodiscard]] virtual EntryRepository& entries() = 0;
  [[nodiscard]] virtual WinnerRepository& winners() = 0;
  [[nodiscard]] virtual ReportQueries& reports() = 0;
  [[nodiscard]] virtual Outbox& outbox() = 0;
  [[nodiscard]] virtual AuditLog& audit() = 0;

  // A unit of work inside this one (a savepoint): its commit() keeps its changes as
  // part of this transaction; destroying it uncommitted undoes only its own changes.
  // This transaction must outlive it and not be used while it is open.
  [[nodiscard]] virtual std::unique_ptr<Transaction> nested() = 0;

  // Makes every change durable at once. Throws StorageError (nothing committed) when
  // the store fails or a concurrent transaction conflicts.
  virtual void commit() = 0;
};

// Opens units of work. Any repository call may throw StorageError.
class TransactionManager {
 public:
  virtual ~TransactionManager() = default;

  // Starts a transaction; throws StorageError when the store cannot be reached.
  [[nodiscard]] virtual std::unique_ptr<Transaction> begin() = 0;
  // Starts a unit of work that only reads (a write through it is an error) and takes no
  // write lock of its own: a transaction of its own reads from one consistent snapshot
  // (so readers never hold up writers); one inside another unit of work reads through
  // it. Throws like begin().
  [[nodiscard]] virtual std::unique_ptr<Transaction> begin_read_only() = 0;
};

}  // namespace lottery
