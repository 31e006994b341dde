// lotteryctl as an operator runs it: the real executable, on real databases.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lottery/core/query_service.hpp"
#include "lotteryctl_support.hpp"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Lotteryctl, ExplainsItself) {
  const auto help = lotteryctl({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("clear-db"));
  EXPECT_THAT(help.out, HasSubstr("winners-by-card"));
  for (const char* command : {"verify-draw", "export", "audit", "report", "clear-db"}) {
    const auto own = lotteryctl({command, "--help"});
    EXPECT_EQ(own.exit_code, 0) << command;
    EXPECT_THAT(own.out, HasSubstr(command));
  }
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
            "2223           Анна          1             1\n"
            "Нет данных                   1             0\n");  // the ownerless win

  const auto top = lotteryctl({"report", "top-accounts"}, environment_for(*db));
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_EQ(top.out,
            "Счёт                  Клубная карта  Участий\n"
            "────────────────────  ─────────────  ───────\n"
            "11-22-33-44-55-66-77  2223                 2\n"
            "99-99-99-99-99-99-99  —                    1\n");
  const auto first = lotteryctl({"report", "top-accounts", "--limit", "1"}, environment_for(*db));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("11-22-33-44-55-66-77"));
  EXPECT_THAT(first.out, Not(HasSubstr("99-99-99-99-99-99-99")));
  const auto misplaced = lotteryctl({"report", "unclaimed", "--limit", "1"}, environment_for(*db));
  EXPECT_EQ(misplaced.exit_code, 2);
  EXPECT_THAT(misplaced.err, HasSubstr("только для top-accounts"));
  const auto zero = lotteryctl({"report", "top-accounts", "--limit", "0"}, environment_for(*db));
  EXPECT_EQ(zero.exit_code, 2);

  const auto unclaimed = lotteryctl({"report", "unclaimed"}, environment_for(*db));
  EXPECT_EQ(unclaimed.exit_code, 0) << unclaimed.err;
  EXPECT_THAT(unclaimed.out, HasSubstr("#2 Лето"));
  EXPECT_THAT(unclaimed.out, HasSubstr("Велосипед  99-99-99-99-99-99-99  —"));
}

// R-TIME-1: tables for people show the club's time (TIME_ZONE, Moscow by default), CSV
// stays in UTC.
TEST_P(LotteryctlOnDatabase, ShowsTimesInTheClubsZoneAndCsvInUtc) {
  const auto db = database();
  fill(*db);
  auto environment = environment_for(*db);
  environment["TIME_ZONE"] = std::nullopt;
  const auto moscow = lotteryctl({"report", "unclaimed"}, environment);
  EXPECT_EQ(moscow.exit_code, 0) << moscow.err;
  EXPECT_THAT(moscow.out, HasSubstr("02.01.2026 13:00 MSK"));  // the deadline, 10:00 UTC
  environment["TIME_ZONE"] = "Asia/Yekaterinburg";
  EXPECT_THAT(lotteryctl({"report", "unclaimed"}, environment).out,
              HasSubstr("02.01.2026 15:00 UTC+05"));
  EXPECT_THAT(lotteryctl({"audit", "2"}, environment).out, HasSubstr("01.01.2026 15:00 UTC+05"));
  EXPECT_THAT(lotteryctl({"report", "unclaimed", "--csv"}, environment).out,
              HasSubstr("2026-01-02T10:00:00Z"));
  environment["TIME_ZONE"] = "Moscow";
  const auto refused = lotteryctl({"report", "unclaimed"}, environment);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("TIME_ZONE"));
  // A command that shows no time does not care.
  EXPECT_EQ(lotteryctl({"--help"}, environment).exit_code, 0);
  EXPECT_EQ(lotteryctl({"export", "entries", "1"}, environment).exit_code, 0);
}

TEST_P(LotteryctlOnDatabase, PrintsTheReportsAsCsv) {
  const auto db = database();
  fill(*db);
  const auto unclaimed = lotteryctl({"report", "unclaimed", "--csv"}, environment_for(*db));
  EXPECT_EQ(unclaimed.exit_code, 0) << unclaimed.err;
  EXPECT_EQ(unclaimed.out,
            "Розыгрыш,Место,Приз,Счёт,Клубная карта,Срок (UTC)\r\n"
            "#2 Лето,1,Велосипед,99-99-99-99-99-99-99,—,2026-01-02T10:00:00Z\r\n");
  const auto winners = lotteryctl({"report", "--csv", "winners-by-card"}, environment_for(*db));
  EXPECT_EQ(winners.out,
            "Клубная карта,Имя,Выигрышей,Подтверждено\r\n2223,Анна,1,1\r\nНет данных,,1,0\r\n");
  const auto top =
      lotteryctl({"report", "top-accounts", "--csv", "--limit", "1"}, environment_for(*db));
  EXPECT_EQ(top.out, "Счёт,Клубная карта,Участий\r\n11-22-33-44-55-66-77,2223,2\r\n");
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

TEST_P(LotteryctlOnDatabase, ExportsWinnersAndTheAuditTrail) {
  const auto db = database();
  fill(*db);
  const auto csv = lotteryctl({"export", "winners", "1", "--csv"}, environment_for(*db));
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("place,round,prize,account,club_card,status,claimed_at"));
  EXPECT_THAT(csv.out, HasSubstr("1,1,Чайник,11-22-33-44-55-66-77,2223,claimed,"));
  {
    // Byte for byte the file the chat's /export sends.
    auto transaction = db->begin();
    EXPECT_EQ(csv.out, winner_export_csv(winner_export_rows(*transaction, LotteryId{1}).value()));
    EXPECT_EQ(csv.out.rfind("\xEF\xBB\xBFplace,", 0), 0U);
  }
  const auto json = lotteryctl({"export", "winners", "2", "--json"}, environment_for(*db));
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"title\": \"Лето\""));
  EXPECT_THAT(json.out, HasSubstr("\"place\": 1, \"round\": 1"));
  EXPECT_THAT(json.out, HasSubstr("\"claimed_at\": null"));
  const auto trail = lotteryctl({"audit", "1"}, environment_for(*db));
  EXPECT_EQ(trail.exit_code, 0) << trail.err;
  EXPECT_THAT(trail.out, HasSubstr("lottery.drawn"));
  EXPECT_THAT(trail.out, HasSubstr("win.confirmed"));
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"export", "winners", "1"},
                                              {"export", "losers", "1"},
                                              {"audit"},
                                              {"audit", "x"},
                                              {"verify-draw"},
                                              {"verify-draw", "--seed"}}) {
    const auto refused = lotteryctl(bad, environment_for(*db));
    EXPECT_EQ(refused.exit_code, 2) << bad.front();
    EXPECT_THAT(refused.err, HasSubstr("lotteryctl --help"));
  }
  EXPECT_EQ(lotteryctl({"audit", "99"}, environment_for(*db)).exit_code, 1);
}

// The import of SPEC §7: a file with a header, both separators, blank, bad and repeated
// lines, numbers on record and new ones; counted per outcome with line numbers, enrolled,
// and a second run changes nothing.
TEST_P(LotteryctlOnDatabase, VerifiesADrawFromTheDatabaseAndFromPublishedData) {
  const auto db = database();
  FakeClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness cryptography;
  const Dependencies deps{*db, clock, random, cryptography, Settings{}};
  AccountService accounts(deps);
  std::string lines;
  for (int i = 10; i < 40; ++i) lines += "50-00-00-00-00-00-" + std::to_string(i) + "\n";
  ASSERT_TRUE(accounts.add_accounts(Requester::system(), lines, std::nullopt));
  LotteryService lotteries(deps);
  const auto lottery =
      lotteries.create(Requester::system(), "Проверка", {{1, "A"}, {2, "B"}, {3, "C"}});
  ASSERT_TRUE(lottery);
  ASSERT_TRUE(lotteries.enrol_all_active(Requester::system(), lottery->id));
  for (int i = 10; i < 40; i += 3) {  // a tenth of the entries become ineligible
    ASSERT_TRUE(accounts.deactivate_account(
        Requester::system(),
        AccountNumber::parse("50-00-00-00-00-00-" + std::to_string(i)).value()));
  }
  const std::string public_value = "Русское лото 1500: 5 17 42";
  const auto drawn = lotteries.draw(Requester::system(), lottery->id, public_value);
  ASSERT_TRUE(drawn);
  const std::string id = std::to_string(lottery->id.value());

  const auto from_database = lotteryctl({"verify-draw", id}, environment_for(*db));
  EXPECT_EQ(from_database.exit_code, 0) << from_database.out << from_database.err;
  EXPECT_THAT(from_database.out, HasSubstr("всё совпадает"));

  const auto exported = lotteryctl({"export", "entries", id}, environment_for(*db));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'), 31);
  const std::string entries_file = "/tmp/lotteryctl-entries-" + std::to_string(::getpid()) + ".csv";
  const auto write = [&](const std::string& text) { std::ofstream(entries_file) << text; };
  const auto hex = [](const std::array<std::uint8_t, 32>& bytes) {
    std::string text;
    for (const auto byte : bytes) {
      static constexpr char kHex[] = "0123456789abcdef";
      text += kHex[byte >> 4U];
      text += kHex[byte & 0x0fU];
    }
    return text;
  };
  const auto stored = [&] {
    auto transaction = db->begin();
    return transaction->lotteries().find(lottery->id).value();
  }();
  std::string skipped;
  for (const auto ordinal : stored.skipped_ordinals) {
    skipped += (skipped.empty() ? "" : ",") + std::to_string(ordinal);
  }
  std::string winners;
  for (const auto& win : drawn->winners) {
    const auto ordinal = exported.out.find(win.account_number.str());
    ASSERT_NE(ordinal, std::string::npos);
    const auto line_start = exported.out.rfind('\n', ordinal) + 1;
    winners +=
        (winners.empty() ? "" : ",") + exported.out.substr(line_start, ordinal - line_start - 1);
  }
  const auto published = [&](const std::string& seed, const std::string& public_text) {
    std::vector<std::string> arguments{"verify-draw",
                                       "--lottery",
                                       id,
                                       "--seed",
                                       seed,
                                       "--entries",
                                       entries_file,
                                       "--public",
                                       public_text,
                                       "--entries-hash",
                                       hex(stored.entries_hash),
                                       "--commitment",
                                       hex(cryptography.commitment(stored.seed)),
                                       "--winners",
                                       winners};
    if (!skipped.empty()) {
      arguments.emplace_back("--skipped");
      arguments.push_back(skipped);
    }
    return lotteryctl(arguments);
  };
  write(exported.out);
  const auto good = published(hex(stored.seed), public_value);
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_THAT(good.out, HasSubstr("всё совпадает"));

  DrawSeed other_seed = stored.seed;
  other_seed[0] ^= 1;
  const auto wrong_seed = published(hex(other_seed), public_value);
  EXPECT_EQ(wrong_seed.exit_code, 1);
  EXPECT_THAT(wrong_seed.out, HasSubstr("ключ не соответствует"));
  EXPECT_THAT(wrong_seed.out, HasSubstr("победители не совпадают"));
  EXPECT_EQ(published(hex(stored.seed), public_value + " ").exit_code, 1);

  std::string changed = exported.out;
  changed.replace(changed.find("50-00-00-00-00-00-11"), 20, "50-00-00-00-00-00-99");
  write(changed);
  const auto wrong_list = published(hex(stored.seed), public_value);
  EXPECT_EQ(wrong_list.exit_code, 1);
  EXPECT_THAT(wrong_list.out, HasSubstr("список участников не соответствует"));
  ::unlink(entries_file.c_str());

  // The same change made in the database is caught too.
  const std::string where = " AND lottery_id = " + id;
  db->execute("UPDATE participations SET ordinal = 1000000 WHERE ordinal = 0" + where);
  db->execute("UPDATE participations SET ordinal = 0 WHERE ordinal = 1" + where);
  db->execute("UPDATE participations SET ordinal = 1 WHERE ordinal = 1000000" + where);
  const auto tampered = lotteryctl({"verify-draw", id}, environment_for(*db));
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_THAT(tampered.out, HasSubstr("НЕ СОВПАДАЕТ"));
}

INSTANTIATE_TEST_SUITE_P(Databases, LotteryctlOnDatabase,
                         ::testing::Values(DialectCase{"Sqlite", db::Dialect::kSqlite},
                                           DialectCase{"Postgres", db::Dialect::kPostgresql}),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace lottery::testing
