// lotteryctl as an operator runs it: the real executable, on real databases.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

const std::string kLotteryctl = std::string(LOTTERY_BIN_DIR) + "/lotteryctl";

using ::testing::HasSubstr;
using ::testing::Not;

ProcessResult lotteryctl(const std::vector<std::string>& arguments,
                         const EnvironmentChanges& environment = {{"DATABASE_URL", std::nullopt}},
                         const std::string& input = {}) {
  std::vector<std::string> argv{kLotteryctl};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, environment, input);
}

TEST(Lotteryctl, ExplainsItself) {
  const auto help = lotteryctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("clear-db"));
  EXPECT_THAT(help.out, HasSubstr("winners-by-card"));
  for (const std::vector<std::string>& bad : {std::vector<std::string>{},
                                              {"frobnicate"},
                                              {"--verbose", "migrate"},
                                              {"report"},
                                              {"report", "nonsense"},
                                              {"migrate", "extra"}}) {
    const auto result = lotteryctl(bad);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.err, HasSubstr("lotteryctl --help"));
  }
}

TEST(Lotteryctl, RefusesABadUrlNamingTheSetting) {
  const auto result = lotteryctl({"migrate"}, {{"DATABASE_URL", "mysql://root:hunter2@db/x"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("DATABASE_URL"));
  EXPECT_THAT(result.err, Not(HasSubstr("hunter2")));
}

TEST(Lotteryctl, SaysWhenTheServerCannotBeReachedWithoutShowingThePassword) {
  const auto result =
      lotteryctl({"--database-url", "postgresql://lottery:hunter2@127.0.0.1:1/lottery", "migrate"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("не удалось подключиться"));
  EXPECT_THAT(result.err, Not(HasSubstr("hunter2")));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST(Lotteryctl, DoesNotCreateASqliteFileForAReport) {
  const auto result =
      lotteryctl({"--database-url", "sqlite:/tmp/lotteryctl-absent.db", "report", "unclaimed"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("не найден"));
}

struct DialectCase {
  const char* name;
  db::Dialect dialect;
  friend void PrintTo(const DialectCase& value, std::ostream* out) { *out << value.name; }
};

class LotteryctlOnDatabase : public ::testing::TestWithParam<DialectCase> {
 protected:
  std::unique_ptr<TestDatabase> database(bool migrate = true) {
    return GetParam().dialect == db::Dialect::kPostgresql ? make_postgres_database(migrate)
                                                          : make_sqlite_database(migrate);
  }

  static EnvironmentChanges environment_for(const TestDatabase& database) {
    return {{"DATABASE_URL", database.url_text()}};
  }

  // One registered client with a claimed win, and an unclaimed ownerless win.
  static void fill(TestDatabase& database) {
    FakeClock clock;
    SeededRandom random(1);
    SeededDrawRandomness draw_randomness;
    const Dependencies deps{database, clock, random, draw_randomness, Settings{}};
    const auto card = ClubCard::parse("2223").value();
    ASSERT_TRUE(RegistrationService(deps).register_user(
        RegistrationRequest{TelegramUserId{1}, "anna", "Анна", card, std::nullopt}));
    AccountService accounts(deps);
    LotteryService lotteries(deps);
    const auto mine = accounts.add_account(Requester::system(), card,
                                           AccountNumber::parse("11-22-33-44-55-66-77").value());
    const auto first = lotteries.create(Requester::system(), "Весна, 2026", {{1, "Чайник"}});
    const std::vector<AccountNumber> only_mine{mine->account.number};
    ASSERT_TRUE(lotteries.enrol(Requester::system(), first->id, only_mine));
    const auto won = lotteries.draw(Requester::system(), first->id);
    ASSERT_TRUE(ClaimService(deps).confirm_by_button(TelegramUserId{1}, won->winners.at(0).id));

    const auto other = accounts.add_account(Requester::system(), std::nullopt,
                                            AccountNumber::parse("99-99-99-99-99-99-99").value());
    const auto second = lotteries.create(Requester::system(), "Лето", {{1, "Велосипед"}});
    const std::vector<AccountNumber> both{other->account.number, mine->account.number};
    ASSERT_TRUE(lotteries.enrol(Requester::system(), second->id, both));
    ASSERT_TRUE(accounts.deactivate_account(Requester::system(), mine->account.number));
    ASSERT_TRUE(lotteries.draw(Requester::system(), second->id));
  }

  static long long lotteries_in(const TestDatabase& database) {
    return database.scalar("SELECT count(*) FROM lotteries");
  }
};

TEST_P(LotteryctlOnDatabase, MigratesOnceAndThenHasNothingToDo) {
  const auto db = database(false);
  const auto first = lotteryctl({"migrate"}, environment_for(*db));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("Применена 001_initial.sql"));
  EXPECT_THAT(first.out, HasSubstr("Применена 006_bot.sql"));
  const auto second = lotteryctl({"migrate"}, environment_for(*db));
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("Миграции не требуются"));
}

TEST_P(LotteryctlOnDatabase, AsksForMigrationsBeforeAReport) {
  const auto db = database(false);
  db->execute("CREATE TABLE placeholder (id INTEGER)");  // the file or schema exists
  const auto result = lotteryctl({"report", "top-accounts"}, environment_for(*db));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("lotteryctl migrate"));
}

TEST_P(LotteryctlOnDatabase, PrintsTheReportsAsTables) {
  const auto db = database();
  fill(*db);
  const auto winners = lotteryctl({"report", "winners-by-card"}, environment_for(*db));
  EXPECT_EQ(winners.exit_code, 0) << winners.err;
  EXPECT_EQ(winners.out,
            "Клубная карта  Имя   Выигрышей  Подтверждено\n"
            "─────────────  ────  ─────────  ────────────\n"
            "2223           Анна          1             1\n");

  const auto top = lotteryctl({"report", "top-accounts"}, environment_for(*db));
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_EQ(top.out,
            "Счёт                  Клубная карта  Участий\n"
            "────────────────────  ─────────────  ───────\n"
            "11-22-33-44-55-66-77  2223                 2\n"
            "99-99-99-99-99-99-99  —                    1\n");

  const auto unclaimed = lotteryctl({"report", "unclaimed"}, environment_for(*db));
  EXPECT_EQ(unclaimed.exit_code, 0) << unclaimed.err;
  EXPECT_THAT(unclaimed.out, HasSubstr("#2 Лето"));
  EXPECT_THAT(unclaimed.out, HasSubstr("Велосипед  99-99-99-99-99-99-99  —"));
}

TEST_P(LotteryctlOnDatabase, PrintsTheReportsAsCsv) {
  const auto db = database();
  fill(*db);
  const auto unclaimed = lotteryctl({"report", "unclaimed", "--csv"}, environment_for(*db));
  EXPECT_EQ(unclaimed.exit_code, 0) << unclaimed.err;
  EXPECT_EQ(unclaimed.out,
            "Розыгрыш,Место,Приз,Счёт,Клубная карта\r\n"
            "#2 Лето,1,Велосипед,99-99-99-99-99-99-99,—\r\n");
  const auto winners = lotteryctl({"report", "--csv", "winners-by-card"}, environment_for(*db));
  EXPECT_EQ(winners.out, "Клубная карта,Имя,Выигрышей,Подтверждено\r\n2223,Анна,1,1\r\n");
}

TEST_P(LotteryctlOnDatabase, ClearDbNeverRunsSilently) {
  const auto db = database();
  fill(*db);
  const auto refused = lotteryctl({"clear-db"}, environment_for(*db));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--yes"));
  EXPECT_EQ(lotteries_in(*db), 2);

  const std::vector<std::string> argv{kLotteryctl, "clear-db"};
  const auto wrong = run_in_terminal(argv, environment_for(*db), "not-the-name\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.out, HasSubstr("введите имя базы"));
  EXPECT_THAT(wrong.out, HasSubstr("ничего не удалено"));
  EXPECT_EQ(lotteries_in(*db), 2);

  const auto typed = run_in_terminal(argv, environment_for(*db), db->url().database_name + "\n");
  EXPECT_EQ(typed.exit_code, 0) << typed.out;
  EXPECT_THAT(typed.out, HasSubstr("удалены"));
  EXPECT_EQ(lotteries_in(*db), 0);
  EXPECT_GE(db->scalar("SELECT count(*) FROM schema_migrations"), 6);
}

TEST_P(LotteryctlOnDatabase, ClearDbWithYesClearsEverything) {
  const auto db = database();
  fill(*db);
  const auto cleared = lotteryctl({"clear-db", "--yes"}, environment_for(*db));
  EXPECT_EQ(cleared.exit_code, 0) << cleared.err;
  for (const char* table : {"users", "accounts", "lotteries", "participations", "winners",
                            "winner_verifications", "outbox", "audit_events"}) {
    EXPECT_EQ(db->scalar(std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  const auto report = lotteryctl({"report", "winners-by-card"}, environment_for(*db));
  EXPECT_EQ(report.out, "Нет данных.\n");
}

INSTANTIATE_TEST_SUITE_P(Databases, LotteryctlOnDatabase,
                         ::testing::Values(DialectCase{"Sqlite", db::Dialect::kSqlite},
                                           DialectCase{"Postgres", db::Dialect::kPostgresql}),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace lottery::testing
