#include <gtest/gtest.h>

#include "core_fixture.hpp"
#include "lottery/core/draw_publication.hpp"
#include "lottery/ports/storage_error.hpp"
#include "mocks/mock_ports.hpp"

namespace lottery::testing {
namespace {

using std::chrono::hours;
using ::testing::Invoke;

class QueryTest : public CoreTest {};

TEST_F(QueryTest, MyAccountShowsActiveAccountsAndWins) {
  EXPECT_EQ(queries().my_account(TelegramUserId{1}).error().code, ErrorCode::kNotRegistered);
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1, "Летний розыгрыш");
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  add_account("2223", "22-22-22-22-22-22-22");
  ASSERT_TRUE(accounts().deactivate_account(admin(), account("22-22-22-22-22-22-22")));
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));

  const auto view = queries().my_account(TelegramUserId{1});
  ASSERT_TRUE(view);
  EXPECT_EQ(view->user.club_card, card("2223"));
  ASSERT_EQ(view->active_accounts.size(), 1U);
  EXPECT_EQ(view->active_accounts[0].number.str(), "11-22-33-44-55-66-77");
  ASSERT_EQ(view->wins.size(), 1U);
  EXPECT_EQ(view->wins[0].lottery_title, "Летний розыгрыш");
  EXPECT_EQ(view->wins[0].winner.status, WinStatus::kPending);
}

TEST_F(QueryTest, WinnerStatusAndUnclaimedListTheWinsWithTheirUsers) {
  const User owner = register_user(1, "2223", "Анна");
  const Lottery lottery = create_lottery(2);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77"),
                     add_account(std::nullopt, "33-44-55-66-77-88-99")});
  const auto wins = lotteries().draw(admin(), lottery.id).value().winners;
  for (const Winner& win : wins) {
    if (win.user) {
      ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win.id));
    }
  }
  const auto status = queries().winner_status(admin(), lottery.id);
  ASSERT_TRUE(status);
  ASSERT_EQ(status->rows.size(), 2U);
  for (const WinnerRow& row : status->rows) {
    if (row.winner.user) {
      EXPECT_EQ(row.user->first_name, "Анна");
      EXPECT_EQ(row.winner.status, WinStatus::kClaimed);
    } else {
      EXPECT_FALSE(row.user);
    }
  }
  const auto unclaimed = queries().unclaimed(admin(), lottery.id);
  ASSERT_EQ(unclaimed->rows.size(), 1U);
  EXPECT_EQ(unclaimed->rows[0].winner.account_number.str(), "33-44-55-66-77-88-99");
  EXPECT_EQ(
      queries().winner_status(Requester::telegram(TelegramUserId{1}), lottery.id).error().code,
      ErrorCode::kNotAdmin);
  EXPECT_EQ(queries().unclaimed(admin(), LotteryId{404}).error().code, ErrorCode::kUnknownLottery);
}

// The public post and /lottery_info read through the core: one current winner per
// place (a redrawn win gives way to its replacement), and the number of entries.
TEST_F(QueryTest, TheCurrentWinnersAndTheLotteryInfoAreTheCores) {
  register_user(1, "2223", "Анна");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77"),
                     add_account(std::nullopt, "33-44-55-66-77-88-99")});
  const Winner first = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  clock_.advance(std::chrono::hours{25});
  const Winner second = lotteries().redraw(admin(), lottery.id).value().winners.at(0);
  auto transaction = store_.begin();
  const auto rows = current_winners(*transaction, lottery.id);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].winner.id, second.id);
  EXPECT_NE(rows[0].winner.account_number, first.account_number);
  EXPECT_EQ(rows[0].user.has_value(), second.user.has_value());
  transaction.reset();
  const auto info = queries().lottery_info(lottery.id);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->entries, 2U);
  EXPECT_EQ(info->lottery.title, lottery.title);
  EXPECT_EQ(queries().lottery_info(LotteryId{404}).error().code, ErrorCode::kUnknownLottery);
}

TEST_F(QueryTest, TheWinnerExportHasOneRowPerWinInItsColumns) {
  register_user(1, "2223", "Анна");
  const Lottery lottery = create_lottery(2);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77"),
                     add_account(std::nullopt, "33-44-55-66-77-88-99")});
  const auto wins = lotteries().draw(admin(), lottery.id).value().winners;
  const Instant drawn_at = clock_.now();
  clock_.advance(hours{1});
  for (const Winner& win : wins) {
    if (win.user) {
      ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win.id));
    }
  }
  auto transaction = store_.begin();
  const auto rows = winner_export_rows(*transaction, lottery.id);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_EQ(kWinnerExportColumns[4], "club_card");
  for (std::size_t place = 1; place <= 2; ++place) {
    const WinnerExportRow& row = (*rows)[place - 1];
    EXPECT_EQ(row[0], std::to_string(place));  // by place within the first round
    EXPECT_EQ(row[1], "1");
    const bool owned = row[3] == "11-22-33-44-55-66-77";
    EXPECT_EQ(row[4], owned ? "2223" : "");
    EXPECT_EQ(row[5], owned ? "claimed" : "pending");
    EXPECT_EQ(row[6], owned ? iso_time(clock_.now()) : "");
    EXPECT_EQ(row[7], owned ? "button" : "");
    EXPECT_EQ(row[8], iso_time(drawn_at + lottery.claim_window));
  }
  EXPECT_EQ(winner_export_rows(*transaction, LotteryId{404}).error().code,
            ErrorCode::kUnknownLottery);
}

TEST(IsoTime, IsUtcToTheSecond) {
  using namespace std::chrono;
  EXPECT_EQ(iso_time(Instant{sys_days{2026y / March / 1} + 18h + 5min + 9s + 999ms}),
            "2026-03-01T18:05:09Z");
  EXPECT_EQ(iso_time(Instant{sys_days{1999y / December / 31}}), "1999-12-31T00:00:00Z");
}

TEST_F(QueryTest, StatsHasTheThreeReports) {
  register_user(1, "2223", "Анна");
  const Lottery first = create_lottery(1);
  const Account mine = add_account("2223", "11-22-33-44-55-66-77");
  enrol(first.id, {mine});
  const Winner win = lotteries().draw(admin(), first.id).value().winners.at(0);
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win.id));
  const Lottery second = create_lottery(1);
  enrol(second.id, {mine, add_account(std::nullopt, "99-99-99-99-99-99-99")});
  ASSERT_TRUE(lotteries().draw(admin(), second.id));
  clock_.advance(hours{25});

  const auto stats = queries().stats(admin());
  ASSERT_TRUE(stats);
  ASSERT_FALSE(stats->winners_by_card.empty());
  EXPECT_EQ(stats->winners_by_card[0].club_card, card("2223"));
  EXPECT_EQ(stats->winners_by_card[0].claimed_wins, 1);
  ASSERT_EQ(stats->top_accounts.size(), 2U);
  EXPECT_EQ(stats->top_accounts[0].account, mine.number);
  EXPECT_EQ(stats->top_accounts[0].participations, 2);
  EXPECT_EQ(stats->top_accounts[0].club_card, card("2223"));
  EXPECT_FALSE(stats->top_accounts[1].club_card);
  ASSERT_EQ(stats->unclaimed.size(), 1U);
  EXPECT_EQ(stats->unclaimed[0].lottery, second.id);
  EXPECT_EQ(queries().stats(Requester::telegram(TelegramUserId{1})).error().code,
            ErrorCode::kNotAdmin);
}

// The use cases turn storage failures into Error values and retry conflicts (shown on a
// query: its unit of work is read-only).
class StorageFailureTest : public CoreTest {
 protected:
  MockTransactionManager transactions_;
  Dependencies failing_deps() {
    return Dependencies{transactions_, clock_, random_, draw_randomness_, settings_};
  }
};

TEST_F(StorageFailureTest, AnUnreachableStoreBecomesAnError) {
  EXPECT_CALL(transactions_, begin_read_only())
      .WillOnce(Invoke([]() -> std::unique_ptr<Transaction> {
        throw StorageError(StorageError::Kind::kUnavailable, "connection refused");
      }));
  const auto result = QueryService(failing_deps()).my_account(TelegramUserId{1});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kStorageUnavailable);
}

TEST_F(StorageFailureTest, ConflictsAreRetriedThenReported) {
  register_user(1, "2223");
  int attempts = 0;
  EXPECT_CALL(transactions_, begin_read_only()).Times(3).WillRepeatedly(Invoke([&]() {
    if (++attempts < 3) throw StorageError(StorageError::Kind::kConflict, "serialization failure");
    return store_.begin_read_only();
  }));
  EXPECT_TRUE(QueryService(failing_deps()).my_account(TelegramUserId{1}));

  EXPECT_CALL(transactions_, begin_read_only())
      .Times(3)
      .WillRepeatedly(Invoke([]() -> std::unique_ptr<Transaction> {
        throw StorageError(StorageError::Kind::kConflict, "serialization failure");
      }));
  EXPECT_EQ(QueryService(failing_deps()).my_account(TelegramUserId{1}).error().code,
            ErrorCode::kConflict);
}

TEST_F(StorageFailureTest, UnderACallersUnitOfWorkAConflictIsLeftToTheCallerAtOnce) {
  register_user(1, "2223");
  EXPECT_CALL(transactions_, begin_read_only())
      .WillOnce(Invoke([]() -> std::unique_ptr<Transaction> {
        throw StorageError(StorageError::Kind::kConflict, "serialization failure");
      }));
  Dependencies deps = failing_deps();
  deps.conflicts = ConflictRetry::kByCaller;
  EXPECT_THROW((void)QueryService(deps).my_account(TelegramUserId{1}), StorageError);
}

// The entry list as published: parts cut between lines, the header in the first only,
// so that their concatenation is the whole list (what a client joins back together).
TEST(EntriesCsv, SplitsBetweenLinesIntoPartsThatConcatenateToTheList) {
  std::vector<AccountNumber> entries;
  for (int index = 0; index < 12; ++index) {
    entries.push_back(*AccountNumber::parse(
        "10-00-00-00-00-00-" + std::string(index < 10 ? "0" : "") + std::to_string(index)));
  }
  const auto whole = entries_csv_parts(entries);
  ASSERT_EQ(whole.size(), 1U);
  EXPECT_EQ(whole[0].substr(0, 46), "ordinal,account_number\n0,10-00-00-00-00-00-00\n");
  const std::size_t line = std::string("0,10-00-00-00-00-00-00\n").size();  // 23 bytes
  const auto parts = entries_csv_parts(entries, 5 * line);
  ASSERT_GE(parts.size(), 3U);
  std::string joined;
  for (const auto& part : parts) {
    EXPECT_LE(part.size(), 5 * line);
    EXPECT_EQ(part.back(), '\n');
    joined += part;
  }
  EXPECT_EQ(joined, whole[0]);
  EXPECT_EQ(parts[1].rfind("ordinal", 0), std::string::npos);
  EXPECT_EQ(entries_csv_parts({}), std::vector<std::string>{"ordinal,account_number\n"});
  EXPECT_EQ(entries_file_name(LotteryId{7}, 1, 1), "lottery-7-entries.csv");
  EXPECT_EQ(entries_file_name(LotteryId{7}, 2, 3), "lottery-7-entries-part2-of-3.csv");
}

}  // namespace
}  // namespace lottery::testing
