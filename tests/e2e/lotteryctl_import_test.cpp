// lotteryctl import: files of any size and shape, in bounded memory.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lotteryctl_support.hpp"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

}  // namespace
}  // namespace lottery::testing
