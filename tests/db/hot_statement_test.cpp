// The hot statements (prepared once per connection on PostgreSQL, bound on SQLite) on
// the real databases: the same values stored on both, and a prepared statement a
// migration outdated is prepared again instead of failing for good. With them, the
// deferred BEGIN (sent with a transaction's first statement on PostgreSQL): a unit of
// work stays whole whichever statement comes first, and a connection lost between
// units of work is replaced without losing one.

#include <gtest/gtest.h>

#include <array>
#include <optional>
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

Notification reply_to(std::int64_t chat) {
  Notification notification;
  notification.chat = ChatId{chat};
  notification.kind = NotificationKind::kReply;
  notification.text = "ответ";
  return notification;
}

// The BEGIN goes out with the first statement, a hot one (EXECUTE) or any other: either
// way, everything after it is undone by a rollback and kept by a commit.
TEST_P(HotStatements, AUnitOfWorkIsWholeWhicheverStatementComesFirst) {
  const auto count = [&] {
    return database_->scalar("SELECT count(*) FROM lotteries") * 10 +
           database_->scalar("SELECT count(*) FROM outbox");
  };
  Lottery lottery;
  lottery.title = "Тест";
  {
    auto transaction = database_->begin_update();
    (void)transaction->outbox().enqueue(reply_to(1));  // a hot statement first
    (void)transaction->lotteries().insert(lottery);    // then a plain one
  }
  {
    auto transaction = database_->begin_update();
    (void)transaction->lotteries().insert(lottery);  // a plain statement first
    (void)transaction->outbox().enqueue(reply_to(2));
  }
  {
    auto transaction = database_->begin_update();
    const std::array rows{
        AccountImportRow{AccountNumber::parse("12-34-56-78-90-12-34").value(), std::nullopt}};
    (void)transaction->accounts().import_new(rows, Instant{});  // a bulk import (COPY) first
    (void)transaction->outbox().enqueue(reply_to(3));
  }
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM accounts"), 0);
  EXPECT_EQ(count(), 0) << "a rolled-back unit of work left rows behind";
  {
    auto transaction = database_->begin_update();
    (void)transaction->lotteries().insert(lottery);
    (void)transaction->outbox().enqueue(reply_to(3));
    transaction->commit();
  }
  // Units of work that run nothing commit and roll back all the same.
  database_->begin_update()->commit();
  { auto untouched = database_->begin_read_only(); }
  EXPECT_EQ(count(), 11);
}

INSTANTIATE_TEST_SUITE_P(Databases, HotStatements,
                         ::testing::Values(Store::kSqlite, Store::kPostgres),
                         [](const auto& parameter) {
                           return parameter.param == Store::kSqlite ? "Sqlite" : "Postgres";
                         });

// A lookup of its own unit of work, by a hot statement.
std::optional<User> find_user(TestDatabase& database) {
  auto transaction = database.begin();
  return transaction->users().find_by_telegram_id(TelegramUserId{42});
}

// The lookup fails once, as a conflict its unit of work retries, and runs from then on.
void expect_one_retried_conflict(TestDatabase& database, const char* if_it_ran) {
  try {
    (void)find_user(database);
    ADD_FAILURE() << if_it_ran;
  } catch (const StorageError& error) {
    EXPECT_EQ(error.kind(), StorageError::Kind::kConflict) << error.what();
  }
  EXPECT_FALSE(find_user(database).has_value());
  EXPECT_FALSE(find_user(database).has_value());
}

// PostgreSQL keeps a prepared statement's result type: once a newer instance's
// migration changes a column it returns, it refuses to run it (SQLSTATE 0A000).
TEST(HotStatementsOnPostgres, AStatementAMigrationOutdatedIsPreparedAgain) {
  const auto database = make_postgres_database(true, 1);
  ASSERT_FALSE(find_user(*database).has_value());  // prepared on the one connection
  database->execute("ALTER TABLE users ALTER COLUMN username TYPE TEXT");
  expect_one_retried_conflict(*database, "the outdated statement ran");
}

// The server ends the pool's one connection between two units of work (a restart, an
// idle timeout): its closing words wait on the idle socket, so the next unit of work
// finds the connection lost before it begins and reconnects; nothing fails, not even a
// unit of work outside any retry.
TEST(HotStatementsOnPostgres, AConnectionTheServerEndedIsReplacedBeforeTheNextUnitOfWork) {
  const auto database = make_postgres_database(true, 1);
  long long backend = 0;
  {
    auto transaction = database->begin();
    (void)transaction->users().find_by_telegram_id(TelegramUserId{9'876'543'211});
    backend = database->scalar(
        "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE "
        "'%(9876543211)%'");
  }
  ASSERT_GT(backend, 0);
  // Waits (up to 10 s) until the backend is gone.
  ASSERT_EQ(database->scalar("SELECT CASE WHEN pg_terminate_backend(" + std::to_string(backend) +
                             ", 10000) THEN 1 ELSE 0 END"),
            1);
  {
    auto transaction = database->begin_update();
    (void)transaction->outbox().enqueue(reply_to(1));
    transaction->commit();
  }
  EXPECT_EQ(database->scalar("SELECT count(*) FROM outbox"), 1);
  EXPECT_FALSE(find_user(*database).has_value());
}

// A hot statement that carried the BEGIN and was refused (here for invalid UTF-8) ran
// after its BEGIN: the transaction is aborted, so what the unit of work tries next fails
// too instead of running on its own, and nothing of it stays.
TEST(HotStatementsOnPostgres, AStatementRefusedWithItsBeginLeavesNothingToRunAlone) {
  const auto database = make_postgres_database(true, 1);
  Notification broken = reply_to(1);
  broken.text = "\xff\xfe";
  Lottery lottery;
  lottery.title = "Тест";
  {
    auto transaction = database->begin_update();
    try {
      (void)transaction->outbox().enqueue(broken);
      ADD_FAILURE() << "PostgreSQL stored invalid UTF-8";
    } catch (const StorageError& error) {
      EXPECT_EQ(error.kind(), StorageError::Kind::kRejected) << error.what();
    }
    EXPECT_THROW((void)transaction->lotteries().insert(lottery), StorageError);
  }
  EXPECT_EQ(database->scalar("SELECT count(*) FROM lotteries"), 0)
      << "a statement after the refusal ran outside the transaction";
  EXPECT_EQ(database->scalar("SELECT count(*) FROM outbox"), 0);
}

}  // namespace
}  // namespace lottery::testing
