// The hot statements (prepared once per connection on PostgreSQL, bound on SQLite) on
// the real databases: the same values stored on both, and a prepared statement a
// migration outdated is prepared again instead of failing for good.

#include <gtest/gtest.h>

#include <string>

#include "lottery/ports/storage_error.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

enum class Store { kSqlite, kPostgres };

class HotStatements : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    // One connection: the statement prepared is the one used next.
    database_ = GetParam() == Store::kSqlite ? make_sqlite_database(true, 1)
                                             : make_postgres_database(true, 1);
  }

  std::unique_ptr<TestDatabase> database_;
};

// A NUL byte would end PostgreSQL's statement text inside the literal; both stores
// keep the text without it.
TEST_P(HotStatements, ATextWithANulByteIsStoredWithoutIt) {
  Notification notification;
  notification.chat = ChatId{7};
  notification.kind = NotificationKind::kReply;
  notification.text = std::string("до\0после", 15);
  ASSERT_EQ(notification.text.size(), 15U);
  {
    auto transaction = database_->begin_update();
    (void)transaction->outbox().enqueue(notification);
    transaction->commit();
  }
  auto transaction = database_->begin();
  const auto due = transaction->outbox().pending(10, Instant{}, "sender", {});
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due.front().text, "допосле");
}

INSTANTIATE_TEST_SUITE_P(Databases, HotStatements,
                         ::testing::Values(Store::kSqlite, Store::kPostgres),
                         [](const auto& parameter) {
                           return parameter.param == Store::kSqlite ? "Sqlite" : "Postgres";
                         });

// PostgreSQL keeps a prepared statement's result type: once a newer instance's
// migration changes a column it returns, it refuses to run it (SQLSTATE 0A000).
TEST(HotStatementsOnPostgres, AStatementAMigrationOutdatedIsPreparedAgain) {
  const auto database = make_postgres_database(true, 1);
  const auto find = [&] {
    auto transaction = database->begin();
    return transaction->users().find_by_telegram_id(TelegramUserId{42});
  };
  ASSERT_FALSE(find().has_value());  // prepared on the one connection
  database->execute("ALTER TABLE users ALTER COLUMN username TYPE TEXT");
  // The statement fails once, as a conflict its unit of work retries...
  try {
    (void)find();
    ADD_FAILURE() << "the outdated statement ran";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kConflict) << error.what();
  }
  // ...and runs prepared anew from then on.
  EXPECT_FALSE(find().has_value());
  EXPECT_FALSE(find().has_value());
}

}  // namespace
}  // namespace lottery::testing
