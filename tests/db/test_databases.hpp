#pragma once

// Real databases for the adapter's tests: a fresh SQLite file, or a fresh schema in
// the throwaway PostgreSQL that scripts/with-postgres starts (make test does).

#include <functional>
#include <memory>
#include <string>

#include "lottery/db/database.hpp"

namespace lottery::testing {

// A migrated, empty database that removes itself (file or schema) when destroyed.
class TestDatabase : public TransactionManager, public UpdateTransactionManager {
 public:
  TestDatabase(std::unique_ptr<db::Database> database, std::string url_text, db::DatabaseUrl url,
               std::function<void()> cleanup)
      : database_(std::move(database)),
        url_text_(std::move(url_text)),
        url_(std::move(url)),
        cleanup_(std::move(cleanup)) {}
  ~TestDatabase() override {
    database_.reset();
    if (cleanup_) cleanup_();
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  std::unique_ptr<Transaction> begin() override { return database_->begin(); }
  std::unique_ptr<Transaction> begin_read_only() override { return database_->begin_read_only(); }
  std::unique_ptr<UpdateTransaction> begin_update() override { return database_->begin_update(); }
  db::Database& database() { return *database_; }
  const db::DatabaseUrl& url() const { return url_; }
  // The DATABASE_URL that reaches this database (password included).
  const std::string& url_text() const { return url_text_; }
  // Runs one SQL statement on a connection of its own (for fixtures in legacy shapes).
  void execute(const std::string& statement) const;
  // The single integer an SQL query returns.
  [[nodiscard]] long long scalar(const std::string& query) const;

 private:
  std::unique_ptr<db::Database> database_;
  std::string url_text_;
  db::DatabaseUrl url_;
  std::function<void()> cleanup_;
};

// The URL of the test PostgreSQL; fails the test (never skips it) when it is unset.
std::string postgres_base_url();

// An empty database of each kind; `migrate` false leaves it without any table.
std::unique_ptr<TestDatabase> make_sqlite_database(bool migrate = true, std::size_t pool_size = 2);
std::unique_ptr<TestDatabase> make_postgres_database(bool migrate = true,
                                                     std::size_t pool_size = 4);

struct SqliteBackend {
  static std::unique_ptr<TestDatabase> make() { return make_sqlite_database(); }
};

struct PostgresBackend {
  static std::unique_ptr<TestDatabase> make() { return make_postgres_database(); }
};

}  // namespace lottery::testing
