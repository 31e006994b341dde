#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/db/database_url.hpp"
#include "lottery/ports/job_locks.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::db {

// A migration that failed: the file, and the database's own words.
class MigrationError : public std::runtime_error {
 public:
  MigrationError(std::string file, const std::string& reason)
      : std::runtime_error(file + ": " + reason), file_(std::move(file)) {}
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::string file_;
};

struct MigrationReport {
  std::vector<std::string> applied;  // file names applied now, in order
  // Set when a database of the first bot (no migration table) was found: the
  // migrations its shape corresponds to were recorded without being run.
  std::vector<std::string> adopted;
};

// Every storage port on SOCI, over PostgreSQL or SQLite. A pool of sessions serves
// the transactions: each begin() takes a session for the transaction's lifetime.
class Database : public TransactionManager, public UpdateTransactionManager, public JobLocks {
 public:
  // Connects `pool_size` sessions (SQLite: files are created as needed). Throws
  // StorageError when the database cannot be reached.
  [[nodiscard]] static std::unique_ptr<Database> connect(const DatabaseUrl& url,
                                                         std::size_t pool_size = 4);
  ~Database() override;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] std::unique_ptr<Transaction> begin() override;
  [[nodiscard]] std::unique_ptr<Transaction> begin_read_only() override;
  [[nodiscard]] std::unique_ptr<UpdateTransaction> begin_update() override;

  // Asks the server a trivial question on a pooled session (a transaction's BEGIN waits
  // for its first statement, so begin() alone proves nothing). Throws StorageError when
  // the database does not answer.
  void ping();

  [[nodiscard]] Dialect dialect() const;
  [[nodiscard]] const std::string& database_name() const;

  // Applies the migrations not applied yet, each in its own transaction, in order.
  // Applying twice is a no-op. Throws MigrationError naming the file that failed; that
  // file's changes are rolled back and the ones before it stay.
  MigrationReport migrate();
  // The migration files not applied yet.
  [[nodiscard]] std::vector<std::string> pending_migrations();
  // Deletes every row of every table, keeping the schema and the migration history.
  void clear_all_data();

  // Held while this process runs a periodic job (expiry, reminders); released when
  // destroyed, or by the database when the process dies.
  using JobLock = JobLocks::Lock;
  // The job's lock if no other process holds it (PostgreSQL: a session advisory lock
  // on a pooled session), else null. SQLite serves one process: always granted.
  // Throws StorageError when the database cannot be reached.
  [[nodiscard]] std::unique_ptr<JobLock> try_lock_job(std::string_view job);
  [[nodiscard]] std::unique_ptr<JobLock> try_lock(std::string_view job) override {
    return try_lock_job(job);
  }

  struct Impl;  // the session pool; opaque outside the adapter

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  [[nodiscard]] std::unique_ptr<UpdateTransaction> open(bool read_only);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::db
