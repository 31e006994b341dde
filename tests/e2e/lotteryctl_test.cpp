// lotteryctl as an operator runs it: the real executable, on real databases.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fakes/fake_clock.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
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

// Under a sanitizer the executable's memory says nothing about the code's.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The peak resident set an import may reach, whatever the file (the batches bound it).
constexpr long kImportPeakKib = 64L * 1024;

// A file under /tmp for this test process, removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& name)
      : path("/tmp/lotteryctl-" + name + "-" + std::to_string(::getpid())) {}
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path;
};

struct MeasuredRun {
  ProcessResult result;
  long peak_rss_kib{0};
};

// lotteryctl run by a Python wrapper that writes down its peak resident set size (the
// rusage of the wrapper's only child), which the test support cannot measure.
MeasuredRun lotteryctl_measured(const std::vector<std::string>& arguments,
                                const EnvironmentChanges& environment) {
  static constexpr const char* kWrapper = R"(import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code if code >= 0 else 128 - code))";
  const TempFile peak("peak-rss");
  std::vector<std::string> argv{"/usr/bin/python3", "-c", kWrapper, peak.path, kLotteryctl};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  MeasuredRun run{run_process(argv, environment), 0};
  std::ifstream(peak.path) >> run.peak_rss_kib;
  EXPECT_GT(run.peak_rss_kib, 0) << run.result.err;
  return run;
}

bool has_control_bytes(const std::string& text) {
  return text.find('\0') != std::string::npos || text.find('\x1b') != std::string::npos;
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

TEST_P(LotteryctlOnDatabase, ExportsWinnersAndTheAuditTrail) {
  const auto db = database();
  fill(*db);
  const auto csv = lotteryctl({"export", "winners", "1", "--csv"}, environment_for(*db));
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("place,round,prize,account,club_card,status,claimed_at"));
  EXPECT_THAT(csv.out, HasSubstr("1,1,Чайник,11-22-33-44-55-66-77,2223,claimed,"));
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
TEST_P(LotteryctlOnDatabase, ImportsAccountsFromCsvAndEnrolsThem) {
  const auto db = database();
  fill(*db);
  FakeClock clock;
  SeededRandom random(2);
  SeededDrawRandomness draw_randomness;
  const auto open = LotteryService(Dependencies{*db, clock, random, draw_randomness, Settings{}})
                        .create(Requester::system(), "Осень", {{1, "Зонт"}});
  ASSERT_TRUE(open);
  const std::string file = "/tmp/lotteryctl-import-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(file) << "\xEF\xBB\xBF"  // a byte order mark, as spreadsheets write it
                         "club_card,account_number\r\n"
                         "2223,33-33-33-33-33-33-33\r\n"  // 2 added to Анна
                         "44444444444444\r\n"             // 3 bare: ownerless
                         "\r\n"                           // 4 blank
                         "7777;55 55 55 55 55 55 55\r\n"  // 5 unknown card: ownerless
                         "2223,12-34\r\n"                 // 6 bad number
                         "2223,99-99-99-99-99-99-99\r\n"  // 7 ownerless on record: linked
                         "2223,33-33-33-33-33-33-33\r\n"  // 8 repeated
                         "1,2,3\r\n";                     // 9 not two columns
  const std::string lottery = std::to_string(open->id.value());
  const auto imported = lotteryctl({"import", file, "--lottery", lottery}, environment_for(*db));
  EXPECT_EQ(imported.exit_code, 1) << imported.err;  // some lines were refused
  EXPECT_THAT(imported.out, HasSubstr("строк со счетами 7"));
  EXPECT_THAT(imported.out, HasSubstr("добавлено клиентам:        1\n"));
  EXPECT_THAT(imported.out, HasSubstr("добавлено без владельца:   2\n"));
  EXPECT_THAT(imported.out, HasSubstr("привязано к владельцам:    1\n"));
  EXPECT_THAT(imported.out, HasSubstr("уже были:                  1\n"));
  EXPECT_THAT(imported.out, HasSubstr("отклонено:                 2\n"));
  EXPECT_THAT(imported.out, HasSubstr("строка 6: «2223,12-34» — неверный номер счёта"));
  EXPECT_THAT(imported.out, HasSubstr("строка 9: «1,2,3» — ожидается"));
  EXPECT_THAT(imported.out, HasSubstr("добавлено участников 4, уже участвовали 0, всего "
                                      "участников 4"));
  EXPECT_EQ(imported.err, "");  // no progress bar without a terminal
  EXPECT_EQ(db->scalar("SELECT count(*) FROM accounts"), 5);
  EXPECT_EQ(db->scalar("SELECT count(*) FROM accounts a JOIN users u ON u.id = a.owner_id "
                       "WHERE u.club_card_number = '2223'"),
            3);
  EXPECT_EQ(db->scalar("SELECT count(*) FROM participations WHERE lottery_id = " + lottery), 4);

  const auto again = lotteryctl({"import", file, "--lottery", lottery}, environment_for(*db));
  EXPECT_THAT(again.out, HasSubstr("уже были:                  5\n"));
  EXPECT_THAT(again.out, HasSubstr("добавлено участников 0, уже участвовали 4"));
  EXPECT_EQ(db->scalar("SELECT count(*) FROM accounts"), 5);

  // On a terminal the operator sees the progress.
  std::ofstream(file) << "66-66-66-66-66-66-66\n";
  const auto shown = run_in_terminal({kLotteryctl, "import", file}, environment_for(*db), "");
  EXPECT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_THAT(shown.out, HasSubstr("Импорт: 100 %"));

  EXPECT_EQ(lotteryctl({"import", file, "--lottery", "99"}, environment_for(*db)).exit_code, 1);
  EXPECT_EQ(lotteryctl({"import", file, "--lottery", "2"}, environment_for(*db)).exit_code, 1);
  EXPECT_EQ(lotteryctl({"import"}, environment_for(*db)).exit_code, 2);
  EXPECT_EQ(lotteryctl({"import", "/nonexistent.csv"}, environment_for(*db)).exit_code, 1);
  std::remove(file.c_str());
}

// A file is read in batches, whatever its size: ten million lines take the memory of ten,
// and of their refusals only the first are kept for the report.
TEST_P(LotteryctlOnDatabase, ImportsTenMillionLinesInBoundedMemory) {
  const auto db = database();
  const TempFile file("ten-million");
  {
    std::string million;
    for (int i = 0; i < 1'000'000; ++i) million += "1\n";
    std::ofstream out(file.path, std::ios::binary);
    for (int i = 0; i < 10; ++i) out << million;
  }
  const auto run = lotteryctl_measured({"import", file.path}, environment_for(*db));
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err;
  EXPECT_THAT(run.result.out, HasSubstr("строк со счетами 10000000\n"));
  EXPECT_THAT(run.result.out, HasSubstr("отклонено:                 10000000\n"));
  EXPECT_THAT(run.result.out, HasSubstr("  строка 1: «1» — неверный номер счёта"));
  EXPECT_THAT(run.result.out, HasSubstr("  строка 1000: «1» — "));
  EXPECT_THAT(run.result.out, Not(HasSubstr("строка 1001:")));
  EXPECT_THAT(run.result.out, HasSubstr("  … и ещё 9999000\n"));
  if (!kSanitized) {
    EXPECT_LT(run.peak_rss_kib, kImportPeakKib);
  }
  RecordProperty("peak_rss_kib", std::to_string(run.peak_rss_kib));
}

// A line over 1024 bytes is refused with its number and the rest of it skipped unread
// into memory, however long; what it holds reaches the report escaped and cut short.
TEST_P(LotteryctlOnDatabase, RefusesAnOverlongLineWithoutHoldingIt) {
  const auto db = database();
  const TempFile file("overlong");
  const std::string at_cap = std::string(1004, ' ') + "66-00-00-00-00-00-01";  // 1024 bytes
  {
    std::ofstream out(file.path, std::ios::binary);
    out << std::string(1025, '7') << '\n' << at_cap << "\r\n";
    out << std::string("\x1B[31m\0\xFF\xC2\x9B", 9);  // ANSI, NUL, no UTF-8, C1 control
    const std::string megabyte(1024UL * 1024, 'x');
    for (int i = 0; i < 200; ++i) out << megabyte;  // and no newline at the end
  }
  const auto run = lotteryctl_measured({"import", file.path}, environment_for(*db));
  const std::string& out = run.result.out;
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err;
  EXPECT_THAT(out, HasSubstr("строк со счетами 3\n"));
  EXPECT_THAT(out, HasSubstr("добавлено без владельца:   1\n"));
  EXPECT_THAT(out,
              HasSubstr("строка 1: «" + std::string(80, '7') + "…» — строка длиннее 1024 байт\n"));
  EXPECT_THAT(out, HasSubstr("строка 3: «\\x1B[31m\\x00\\xFF\\xC2\\x9B" + std::string(72, 'x') +
                             "…» — строка длиннее 1024 байт\n"));
  EXPECT_FALSE(has_control_bytes(out) || has_control_bytes(run.result.err)) << out;
  EXPECT_EQ(db->scalar("SELECT count(*) FROM accounts"), 1);
  if (!kSanitized) {
    EXPECT_LT(run.peak_rss_kib, kImportPeakKib);
  }
  RecordProperty("peak_rss_kib", std::to_string(run.peak_rss_kib));
}

// Only a first line of known column names is a header; any other is data, imported or
// refused with its number, never dropped unseen.
TEST_P(LotteryctlOnDatabase, TellsAHeaderFromDataByItsColumnNames) {
  const auto db = database();
  const TempFile file("header");
  const auto import = [&](const std::string& content) {
    std::ofstream(file.path, std::ios::binary) << content;
    return lotteryctl({"import", file.path}, environment_for(*db));
  };
  const auto without_card = import(",66-00-00-00-00-00-03\n");
  EXPECT_EQ(without_card.exit_code, 0) << without_card.out;
  EXPECT_THAT(without_card.out, HasSubstr("добавлено без владельца:   1\n"));

  const auto title = import("Счета клуба\n66-00-00-00-00-00-04\n");
  EXPECT_EQ(title.exit_code, 1);
  EXPECT_THAT(title.out, HasSubstr("строк со счетами 2\n"));
  EXPECT_THAT(title.out, HasSubstr("строка 1: «Счета клуба» — неверный номер счёта"));

  const auto extra_column = import("club_card,account_number,comment\n");
  EXPECT_EQ(extra_column.exit_code, 1);
  EXPECT_THAT(extra_column.out, HasSubstr("строка 1: «club_card,account_number,comment»"));

  for (const char* header : {"\xEF\xBB\xBF\"Клубная карта\";\"Номер счёта\"\r\n",
                             "\n  ACCOUNT_NUMBER \n", "card,account\n", "номер_карты;счет\n"}) {
    const auto skipped = import(header + std::string("66-00-00-00-00-00-05\n"));
    EXPECT_EQ(skipped.exit_code, 0) << header << skipped.out;
    EXPECT_THAT(skipped.out, HasSubstr("строк со счетами 1\n")) << header;
  }
  EXPECT_EQ(db->scalar("SELECT count(*) FROM accounts"), 3);
}

// A file that cannot be read is named with the reason, in Russian.
TEST_P(LotteryctlOnDatabase, SaysWhyTheFileCannotBeRead) {
  const auto db = database();
  const auto directory = lotteryctl({"import", "/tmp"}, environment_for(*db));
  EXPECT_EQ(directory.exit_code, 1);
  EXPECT_EQ(directory.err, "lotteryctl: /tmp — это каталог, а не файл CSV\n");

  const auto missing = lotteryctl({"import", "/nonexistent/accounts.csv"}, environment_for(*db));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "lotteryctl: не удалось открыть /nonexistent/accounts.csv: нет такого файла\n");

  if (::geteuid() == 0) return;  // root reads any file
  const TempFile file("unreadable");
  std::ofstream(file.path) << "66-00-00-00-00-00-07\n";
  ::chmod(file.path.c_str(), 0);
  const auto unreadable = lotteryctl({"import", file.path}, environment_for(*db));
  EXPECT_EQ(unreadable.exit_code, 1);
  EXPECT_EQ(unreadable.err, "lotteryctl: не удалось открыть " + file.path + ": нет доступа\n");
}

// ---------------------------------------------------------------------------------
// The documented examples

// Every `lotteryctl …` in a code block or code span of these files.
const std::vector<std::string> kDocumentsWithExamples{
    "README.md",          "docs/QUICK_GUIDE.md", "docs/ADMIN_COMMANDS.md", "docs/CLEAR_DATABASE.md",
    "docs/DEPLOYMENT.md", "docs/UPDATE_LOG.md"};

std::vector<std::string> documented_examples() {
  std::vector<std::string> examples;
  for (const auto& name : kDocumentsWithExamples) {
    std::ifstream file(std::string(LOTTERY_SOURCE_DIR) + "/" + name);
    EXPECT_TRUE(file) << name;
    std::string line;
    while (std::getline(file, line)) {
      std::vector<std::string> spans;
      if (line.rfind("    ", 0) == 0) {
        spans.push_back(line.substr(0, line.find('#')));  // a code block; comments dropped
      } else {
        for (std::size_t open = line.find('`'); open != std::string::npos;) {
          const std::size_t close = line.find('`', open + 1);
          if (close == std::string::npos) break;
          spans.push_back(line.substr(open + 1, close - open - 1));
          open = line.find('`', close + 1);
        }
      }
      for (const auto& span : spans) {
        const auto at = span.find("lotteryctl ");
        if (at == std::string::npos) continue;
        // lotteryctl must be the command run ("build/bin/lotteryctl", "sudo -u USER
        // lotteryctl"), not a word in another command or in a quoted message.
        std::string before = span.substr(0, at);
        if (before.ends_with("build/bin/")) before.erase(before.size() - 10);
        before.erase(0, before.find_first_not_of(' '));
        if (!before.empty() && !before.starts_with("sudo -u ")) continue;
        std::string example = span.substr(at);
        example.erase(example.find_last_not_of(' ') + 1);
        examples.push_back(example);
      }
    }
  }
  return examples;
}

// The words as a shell splits them ('single quotes' keep spaces).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool in_word = false;
  for (const char c : text) {
    if (c == '\'') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// Each way to write the example: "a|b" gives both, "[--csv]" with and without.
std::vector<std::vector<std::string>> variants_of(const std::vector<std::string>& words) {
  std::vector<std::vector<std::string>> variants{{}};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    std::vector<std::vector<std::string>> choices;
    if (word.front() == '[') {
      std::vector<std::string> optional;
      for (std::size_t j = i;; ++j) {
        std::string part = words[j];
        const bool last = part.back() == ']';
        if (part.front() == '[') part.erase(0, 1);
        if (last) part.pop_back();
        optional.push_back(part);
        if (last || j + 1 == words.size()) {
          i = j;
          break;
        }
      }
      choices = {{}, optional};
    } else if (word.find('|') != std::string::npos) {
      std::istringstream alternatives(word);
      for (std::string alternative; std::getline(alternatives, alternative, '|');) {
        choices.push_back({alternative});
      }
    } else {
      choices = {{word}};
    }
    std::vector<std::vector<std::string>> next;
    for (const auto& variant : variants) {
      for (const auto& choice : choices) {
        auto extended = variant;
        extended.insert(extended.end(), choice.begin(), choice.end());
        next.push_back(extended);
      }
    }
    variants = std::move(next);
  }
  return variants;
}

TEST_P(LotteryctlOnDatabase, EveryDocumentedExampleWorksAsWritten) {
  const auto examples = documented_examples();
  ASSERT_GE(examples.size(), 10U);
  const std::string accounts_file =
      "/tmp/lotteryctl-doc-accounts-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(accounts_file) << "club_card,account_number\n2223,70-00-00-00-00-00-01\n"
                                  "70-00-00-00-00-00-02\n";
  std::size_t runs = 0;
  for (const auto& example : examples) {
    for (auto argv : variants_of(words_of(example))) {
      // A fresh database each time: a drawn lottery (#1) and an open one (#2).
      const auto db = database();
      FakeClock clock;
      system::SecureRandom random;
      system::HmacDrawRandomness cryptography;
      const Dependencies deps{*db, clock, random, cryptography, Settings{}};
      std::string lines;
      for (int i = 10; i < 20; ++i) lines += "2223 50-00-00-00-00-00-" + std::to_string(i) + "\n";
      ASSERT_TRUE(RegistrationService(deps).register_user(RegistrationRequest{
          TelegramUserId{1}, "anna", "Анна", ClubCard::parse("2223").value(), std::nullopt}));
      ASSERT_TRUE(AccountService(deps).add_accounts(Requester::system(), lines, std::nullopt));
      LotteryService lotteries(deps);
      const auto drawn = lotteries.create(Requester::system(), "Весна", {{1, "Чайник"}});
      ASSERT_TRUE(lotteries.enrol_all_active(Requester::system(), drawn->id));
      ASSERT_TRUE(lotteries.draw(Requester::system(), drawn->id));
      const auto open = lotteries.create(Requester::system(), "Лето", {{1, "Зонт"}});
      ASSERT_TRUE(open);

      // "sudo -u USER lotteryctl …" runs as this test's user.
      argv.erase(argv.begin(), std::find(argv.begin(), argv.end(), "lotteryctl"));
      const bool importing = std::find(argv.begin(), argv.end(), "import") != argv.end();
      bool in_terminal = false;
      for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string& word = argv[i];
        if (i == 0) word = kLotteryctl;
        if (word == "ID") word = std::to_string((importing ? open : drawn)->id.value());
        if (word.ends_with(".csv")) word = accounts_file;
        // The URL of a database the docs cannot know: this test's.
        if (i > 0 && argv[i - 1] == "--database-url") word = db->url_text();
      }
      in_terminal = std::find(argv.begin(), argv.end(), "clear-db") != argv.end() &&
                    std::find(argv.begin(), argv.end(), "--yes") == argv.end();
      const auto result =
          in_terminal ? run_in_terminal(argv, environment_for(*db), db->url().database_name + "\n")
                      : lotteryctl({argv.begin() + 1, argv.end()}, environment_for(*db));
      EXPECT_EQ(result.exit_code, 0) << example << "\n" << result.out << result.err;
      ++runs;
    }
  }
  EXPECT_GE(runs, examples.size());
  std::remove(accounts_file.c_str());
}

// A draw made with the real cryptography checks out from the database and from the
// published data alone; a changed entry list, seed or public value does not.
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
