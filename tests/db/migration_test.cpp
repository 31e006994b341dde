#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lottery/ports/storage_error.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

using db::Dialect;

struct DialectCase {
  const char* name;
  Dialect dialect;
  friend void PrintTo(const DialectCase& value, std::ostream* out) { *out << value.name; }
};

class MigrationTest : public ::testing::TestWithParam<DialectCase> {
 protected:
  std::unique_ptr<TestDatabase> empty() {
    return GetParam().dialect == Dialect::kPostgresql ? make_postgres_database(false)
                                                      : make_sqlite_database(false);
  }

  // The first bot's own schema, from the migration that reproduces it.
  void create_legacy_schema(const TestDatabase& database, bool with_registration) {
    run_file(database, "001_initial.sql");
    if (with_registration) run_file(database, "002_registration.sql");
  }

  // The migration files of the source tree, in order: what must be embedded.
  std::vector<std::string> files_on_disk() const {
    std::vector<std::string> files;
    const std::string dialect =
        GetParam().dialect == Dialect::kPostgresql ? "postgresql" : "sqlite";
    for (const auto& entry : std::filesystem::directory_iterator(std::string(LOTTERY_SOURCE_DIR) +
                                                                 "/migrations/" + dialect)) {
      files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // The files after the first `skip`.
  std::vector<std::string> files_after(std::size_t skip) const {
    const auto all = files_on_disk();
    return {all.begin() + static_cast<std::ptrdiff_t>(skip), all.end()};
  }

  void run_file(const TestDatabase& database, const std::string& file) {
    const std::string dialect =
        GetParam().dialect == Dialect::kPostgresql ? "postgresql" : "sqlite";
    std::ifstream input(std::string(LOTTERY_SOURCE_DIR) + "/migrations/" + dialect + "/" + file);
    ASSERT_TRUE(input) << file;
    std::stringstream content;
    content << input.rdbuf();
    // Without the comment lines, the file splits at its semicolons.
    std::string script;
    for (std::string line; std::getline(content, line);) {
      if (line.rfind("--", 0) != 0) script += line + "\n";
    }
    std::string statement;
    for (std::istringstream lines(script); std::getline(lines, statement, ';');) {
      if (statement.find_first_not_of(" \n\t") == std::string::npos) continue;
      if (statement.find("CREATE") == std::string::npos &&
          statement.find("ALTER") == std::string::npos) {
        continue;  // a trailing comment
      }
      database.execute(statement);
    }
  }

  // Users, lotteries, participations and wins as the first bot left them.
  void insert_legacy_data(const TestDatabase& database) {
    for (const char* statement : {
             "INSERT INTO users (id, telegram_id, username, first_name, account_number) VALUES "
             "(1, 1001, 'anna', 'Анна', '11223344556677')",  // stored without separators
             "INSERT INTO users (id, telegram_id, username, first_name, account_number) VALUES "
             "(2, 1002, 'boris', 'Борис', '22-33-44-55-66-77-88')",
             "INSERT INTO users (id, telegram_id, username, first_name, account_number) VALUES "
             "(3, 1003, 'vera', 'Вера', NULL)",
             "INSERT INTO lotteries (id, title, status) VALUES (1, 'Весенний розыгрыш', 'drawn')",
             "INSERT INTO lottery_prizes (lottery_id, place, prize) VALUES (1, 1, 'iPhone 15')",
             "INSERT INTO lottery_prizes (lottery_id, place, prize) VALUES (1, 2, 'Наушники')",
             "INSERT INTO lottery_prizes (lottery_id, place, prize) VALUES (1, 3, 'Сертификат')",
             "INSERT INTO participations (lottery_id, user_id) VALUES (1, 2)",
             "INSERT INTO participations (lottery_id, user_id) VALUES (1, 1)",
             "INSERT INTO participations (lottery_id, user_id) VALUES (1, 3)",
             "INSERT INTO winners (lottery_id, user_id, account_number, place, prize, is_claimed) "
             "VALUES (1, 1, '11-22-33-44-55-66-77', 1, 'iPhone 15', TRUE)",
             "INSERT INTO winners (lottery_id, user_id, account_number, place, prize, is_claimed) "
             "VALUES (1, NULL, '99-99-99-99-99-99-99', 2, 'Наушники', FALSE)",
         }) {
      database.execute(statement);
    }
  }
};

TEST_P(MigrationTest, AppliesEveryMigrationOnceInOrder) {
  auto database = empty();
  EXPECT_EQ(database->database().pending_migrations(), files_on_disk());
  const auto first = database->database().migrate();
  EXPECT_EQ(first.applied, files_on_disk());
  EXPECT_GE(first.applied.size(), 5U);
  EXPECT_TRUE(first.adopted.empty());
  EXPECT_TRUE(database->database().pending_migrations().empty());
  const auto second = database->database().migrate();
  EXPECT_TRUE(second.applied.empty());
  EXPECT_TRUE(second.adopted.empty());
}

// SPEC §5: a database from before 003, one account per user, upgrades in place with
// every account kept.
TEST_P(MigrationTest, UpgradesTheFirstBotsDatabaseWithoutLosingAnAccount) {
  auto database = empty();
  create_legacy_schema(*database, false);
  insert_legacy_data(*database);

  const auto report = database->database().migrate();
  EXPECT_EQ(report.adopted, std::vector<std::string>{"001_initial.sql"});
  EXPECT_EQ(report.applied, files_after(1));

  auto transaction = database->begin();
  const auto anna = transaction->users().find_by_telegram_id(TelegramUserId{1001}).value();
  const auto boris = transaction->users().find_by_telegram_id(TelegramUserId{1002}).value();
  EXPECT_EQ(anna.first_name, "Анна");
  EXPECT_FALSE(anna.is_registered);

  const auto annas = transaction->accounts().list_by_owner(anna.id);
  ASSERT_EQ(annas.size(), 1U);
  EXPECT_EQ(annas[0].number.str(), "11-22-33-44-55-66-77");  // normalised
  EXPECT_TRUE(annas[0].is_active);
  const auto boriss = transaction->accounts().list_by_owner(boris.id);
  ASSERT_EQ(boriss.size(), 1U);
  EXPECT_EQ(boriss[0].number.str(), "22-33-44-55-66-77-88");
  const auto ownerless =
      transaction->accounts().find_by_number(AccountNumber::parse("99-99-99-99-99-99-99").value());
  ASSERT_TRUE(ownerless);
  EXPECT_FALSE(ownerless->owner);

  // Participations point at the accounts, in their old order, with ordinals.
  const LotteryId lottery{1};
  ASSERT_EQ(transaction->entries().count(lottery), 2U);
  const std::vector<std::uint64_t> ordinals{0, 1};
  const auto entries = transaction->entries().at(lottery, ordinals);
  EXPECT_EQ(entries[0].account, boriss[0].id);
  EXPECT_EQ(entries[1].account, annas[0].id);

  const auto found = transaction->lotteries().find(lottery).value();
  EXPECT_EQ(found.status, LotteryStatus::kDrawn);
  EXPECT_EQ(found.prizes.size(), 3U);

  const auto wins = transaction->winners().list_by_lottery(lottery);
  ASSERT_EQ(wins.size(), 2U);
  EXPECT_EQ(wins[0].status, WinStatus::kClaimed);
  EXPECT_EQ(wins[0].account, annas[0].id);
  EXPECT_EQ(wins[0].claimed_at, wins[0].created_at);
  EXPECT_EQ(wins[0].deadline, wins[0].created_at + std::chrono::hours{24});
  EXPECT_EQ(wins[1].status, WinStatus::kPending);
  EXPECT_EQ(wins[1].account, ownerless->id);
  EXPECT_TRUE(transaction->winners().verification(wins[0].id)->is_verified);
  EXPECT_FALSE(transaction->winners().verification(wins[1].id)->is_verified);
  transaction.reset();

  EXPECT_TRUE(database->database().migrate().applied.empty());
}

TEST_P(MigrationTest, AdoptsTheRegistrationShapeToo) {
  auto database = empty();
  create_legacy_schema(*database, true);
  const auto report = database->database().migrate();
  EXPECT_EQ(report.adopted, (std::vector<std::string>{"001_initial.sql", "002_registration.sql"}));
  EXPECT_EQ(report.applied, files_after(2));
}

// A migration that fails is rolled back whole and named; those before it stay.
TEST_P(MigrationTest, AFailedMigrationLeavesTheDatabaseAsItWasAndNamesTheFile) {
  auto database = empty();
  create_legacy_schema(*database, true);
  // The same account twice, once without separators: 003 cannot make both accounts.
  database->execute("INSERT INTO users (telegram_id, account_number) VALUES (1, '11223344556677')");
  database->execute(
      "INSERT INTO users (telegram_id, account_number) VALUES (2, '11-22-33-44-55-66-77')");
  try {
    database->database().migrate();
    FAIL() << "the migration should have failed";
  } catch (const db::MigrationError& error) {
    EXPECT_EQ(error.file(), "003_accounts.sql");
    EXPECT_NE(std::string(error.what()).find("003_accounts.sql"), std::string::npos);
  }
  EXPECT_EQ(database->database().pending_migrations(), files_after(2));
  // The users still hold their numbers and there is no accounts table: 003 changed
  // nothing.
  EXPECT_EQ(database->scalar("SELECT count(*) FROM users WHERE account_number IS NOT NULL"), 2);
  EXPECT_THROW((void)database->scalar("SELECT count(*) FROM accounts"), std::exception);
}

TEST_P(MigrationTest, RefusesToGuessAnUnknownSchema) {
  auto database = empty();
  database->execute("CREATE TABLE users (id INTEGER PRIMARY KEY)");
  database->execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)");
  EXPECT_THROW(database->database().migrate(), db::MigrationError);
}

TEST_P(MigrationTest, ClearingKeepsTheSchemaAndEmptiesEveryTable) {
  auto database = GetParam().dialect == Dialect::kPostgresql ? make_postgres_database()
                                                             : make_sqlite_database();
  {
    auto transaction = database->begin();
    Lottery lottery;
    lottery.title = "T";
    lottery.prizes = {{1, "A"}};
    const LotteryId id = transaction->lotteries().insert(lottery);
    transaction->audit().append(
        AuditEvent{Instant{}, Actor{}, AuditAction::kLotteryCreated, id, std::nullopt, ""});
    transaction->commit();
  }
  database->database().clear_all_data();
  auto transaction = database->begin();
  EXPECT_TRUE(transaction->lotteries().list().empty());
  EXPECT_TRUE(transaction->audit().for_lottery(LotteryId{1}).empty());
  // Identities restart, the migration history stays.
  Lottery again;
  again.title = "U";
  EXPECT_EQ(transaction->lotteries().insert(again), LotteryId{1});
  transaction.reset();
  EXPECT_TRUE(database->database().pending_migrations().empty());
}

TEST_P(MigrationTest, TheAuditTrailCannotBeRewritten) {
  auto database = GetParam().dialect == Dialect::kPostgresql ? make_postgres_database()
                                                             : make_sqlite_database();
  {
    auto transaction = database->begin();
    transaction->audit().append(AuditEvent{Instant{}, Actor{}, AuditAction::kUserRegistered,
                                           std::nullopt, std::nullopt, "x"});
    transaction->commit();
  }
  EXPECT_THROW(database->execute("UPDATE audit_events SET details = 'forged'"), std::exception);
}

INSTANTIATE_TEST_SUITE_P(Databases, MigrationTest,
                         ::testing::Values(DialectCase{"Sqlite", Dialect::kSqlite},
                                           DialectCase{"Postgres", Dialect::kPostgresql}),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace lottery::testing

namespace lottery::testing {
namespace {

// Migration 016's time conversions give what 005's did, to the microsecond, whatever
// the session's time zone (005's formulas are written out here as the reference).
TEST(TimeFunctions, ConvertMicrosecondsExactlyInAnyTimeZone) {
  const auto database = make_postgres_database();
  soci::session session(*soci::factory_postgresql(), database->url().connect_string);
  for (const std::string zone : {"UTC", "Pacific/Chatham", "Europe/Moscow", "America/St_Johns"}) {
    session << "SET TimeZone = '" + zone + "'";
    for (const long long micros : {-(1LL << 53), -1LL, 0LL, 1LL, 1'700'000'000'123'456LL,
                                   4'102'444'800'000'001LL, 1LL << 53}) {
      long long back = 0;
      long long expected_back = 0;
      int same_instant = 0;
      long long first = micros;
      long long second = micros;
      long long third = micros;
      session << "SELECT lottery_us(lottery_ts(:first)), "
                 "(EXTRACT(EPOCH FROM TIMESTAMPTZ 'epoch' + :second * INTERVAL '1 microsecond') "
                 "* 1000000)::BIGINT, "
                 "CASE WHEN lottery_ts(:third) = "
                 "TIMESTAMPTZ 'epoch' + :third2 * INTERVAL '1 microsecond' THEN 1 ELSE 0 END",
          soci::use(first, "first"), soci::use(second, "second"), soci::use(third, "third"),
          soci::use(micros, "third2"), soci::into(back), soci::into(expected_back),
          soci::into(same_instant);
      EXPECT_EQ(back, micros) << zone;
      EXPECT_EQ(expected_back, micros) << zone;
      EXPECT_EQ(same_instant, 1) << zone << " " << micros;
    }
  }
}

}  // namespace
}  // namespace lottery::testing
