#include <gtest/gtest.h>

#include <set>

#include "core_fixture.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing {
namespace {

class LotteryServiceTest : public CoreTest {
 protected:
  std::set<AccountId> winning_accounts(const std::vector<Winner>& winners) {
    std::set<AccountId> accounts;
    for (const Winner& winner : winners) accounts.insert(winner.account);
    return accounts;
  }
};

TEST(ParsePrizes, ReadsPlaceAndPrizePerLine) {
  const auto prizes = LotteryService::parse_prizes(
      "2 Наушники\n1 iPhone 15\n\n3  Сертификат 5000 ₽ \n");
  ASSERT_TRUE(prizes);
  ASSERT_EQ(prizes->size(), 3U);
  EXPECT_EQ((*prizes)[0], (Prize{1, "iPhone 15"}));
  EXPECT_EQ((*prizes)[1], (Prize{2, "Наушники"}));
  EXPECT_EQ((*prizes)[2], (Prize{3, "Сертификат 5000 ₽"}));
}

TEST(ParsePrizes, RefusesGapsDuplicatesAndNonsense) {
  for (const std::string& bad :
       std::vector<std::string>{"", "\n\n", "1 A\n3 C", "1 A\n1 B", "0 A", "-1 A", "x A", "1", "1A",
                                "101 A", "99999999999999999999 A", "1 " + std::string(201, 'x')}) {
    const auto prizes = LotteryService::parse_prizes(bad);
    ASSERT_FALSE(prizes) << bad;
    EXPECT_EQ(prizes.error().code, ErrorCode::kInvalidPrizes) << bad;
  }
}

// Limits count characters, not bytes: 200 Russian letters (400 bytes) are a valid prize.
TEST(ParsePrizes, CountsCharactersNotBytes) {
  std::string russian;
  for (int i = 0; i < 200; ++i) russian += "я";
  EXPECT_TRUE(LotteryService::parse_prizes("1 " + russian));
  EXPECT_FALSE(LotteryService::parse_prizes("1 " + russian + "я"));
  EXPECT_EQ(character_count("Приз ₽"), 6U);
}

TEST_F(LotteryServiceTest, CreatesAnOpenLotteryWithASecretSeed) {
  const Lottery lottery = create_lottery(3);
  EXPECT_EQ(lottery.status, LotteryStatus::kOpen);
  EXPECT_EQ(lottery.claim_window, std::chrono::hours{24});
  EXPECT_NE(lottery.seed, DrawSeed{});
  EXPECT_EQ(lotteries().find(admin(), lottery.id).value(), lottery);
  const Lottery other = create_lottery(1);
  EXPECT_NE(other.seed, lottery.seed);
  const auto listed = lotteries().list(admin()).value();
  ASSERT_EQ(listed.size(), 2U);
}

TEST_F(LotteryServiceTest, RefusesBadLotteries) {
  const std::vector<Prize> prizes{{1, "A"}};
  EXPECT_EQ(lotteries().create(Requester::telegram(TelegramUserId{5}), "T", prizes).error().code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(lotteries().create(admin(), "   ", prizes).error().code, ErrorCode::kInvalidTitle);
  EXPECT_EQ(lotteries().create(admin(), "T", {}).error().code, ErrorCode::kInvalidPrizes);
  EXPECT_EQ(lotteries().create(admin(), "T", {{2, "B"}}).error().code, ErrorCode::kInvalidPrizes);
  EXPECT_EQ(lotteries().create(admin(), "T", prizes, std::chrono::seconds{0}).error().code,
            ErrorCode::kInvalidDuration);
  EXPECT_TRUE(store_.snapshot().lotteries.empty());
}

TEST_F(LotteryServiceTest, EnrolsListedAccountsAndReportsTheRest) {
  const Lottery lottery = create_lottery(1);
  const auto made = make_accounts(3);
  ASSERT_TRUE(accounts().deactivate_account(admin(), made[2].number));
  const std::vector<AccountNumber> numbers{made[0].number, made[1].number, made[0].number,
                                           made[2].number, account("99999999999999")};
  const auto report = lotteries().enrol(admin(), lottery.id, numbers);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->added, 2U);
  EXPECT_EQ(report->already_enrolled, 1U);
  EXPECT_EQ(report->inactive, std::vector<AccountNumber>{made[2].number});
  EXPECT_EQ(report->unknown, std::vector<AccountNumber>{account("99999999999999")});
  EXPECT_EQ(report->total_entries, 2U);
  EXPECT_EQ(lotteries().enrol(admin(), LotteryId{999}, numbers).error().code,
            ErrorCode::kUnknownLottery);
}

TEST_F(LotteryServiceTest, EnrolsAllActiveAccountsOnceWithOrdinalsInOrder) {
  const Lottery lottery = create_lottery(1);
  const auto made = make_accounts(5);
  enrol(lottery.id, {made[3]});
  ASSERT_TRUE(accounts().deactivate_account(admin(), made[1].number));
  const auto report = lotteries().enrol_all_active(admin(), lottery.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->added, 3U);
  EXPECT_EQ(report->total_entries, 4U);
  const auto entries = store_.snapshot().entries.at(lottery.id.value());
  EXPECT_EQ(entries, (std::vector<AccountId>{made[3].id, made[0].id, made[2].id, made[4].id}));
  EXPECT_EQ(lotteries().enrol_all_active(admin(), lottery.id)->added, 0U);
}

TEST_F(LotteryServiceTest, DrawPicksDistinctActiveAccountsForEveryPlace) {
  settings_.announce_chat = kAnnounceChat;
  const User owner = register_user(1, "2223");
  const Lottery lottery = create_lottery(3);
  auto made = make_accounts(10);
  made.push_back(add_account("2223", "55-55-55-55-55-55-55"));
  ASSERT_TRUE(accounts().deactivate_account(admin(), made[0].number));
  ASSERT_TRUE(lotteries().enrol_all_active(admin(), lottery.id));
  enrol(lottery.id, {made[0]});  // inactive: refused, not enrolled

  const auto report = lotteries().draw(admin(), lottery.id);
  ASSERT_TRUE(report) << to_string(report.error().code);
  EXPECT_EQ(report->entries, 10U);
  ASSERT_EQ(report->winners.size(), 3U);
  EXPECT_TRUE(report->empty_places.empty());
  EXPECT_EQ(winning_accounts(report->winners).size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    const Winner& winner = report->winners[i];
    EXPECT_EQ(winner.place, static_cast<int>(i) + 1);
    EXPECT_EQ(winner.prize, "Приз " + std::to_string(i + 1));
    EXPECT_EQ(winner.round, 1);
    EXPECT_EQ(winner.status, WinStatus::kPending);
    EXPECT_EQ(winner.deadline, FakeClock::kStart + std::chrono::hours{24});
    EXPECT_EQ(winner.remind_at, FakeClock::kStart + std::chrono::hours{18});
    EXPECT_NE(winner.account, made[0].id);
    const auto verification = store_.snapshot().verifications.at(winner.id.value());
    EXPECT_FALSE(verification.is_verified);
    EXPECT_EQ(verification.expires_at, winner.deadline);
    EXPECT_EQ(verification.token.size(), 32U);
  }
  EXPECT_EQ(report->lottery.status, LotteryStatus::kDrawn);
  EXPECT_EQ(store_.snapshot().lotteries.at(lottery.id.value()).status, LotteryStatus::kDrawn);
  EXPECT_EQ(outbox_of(private_chat_of(kAdmin)).back().kind, NotificationKind::kAdminDrawn);
  // The public chat got the commitment at creation (R-VERIFY-1), then the results.
  ASSERT_EQ(outbox_of(kAnnounceChat).size(), 2U);
  EXPECT_EQ(outbox_of(kAnnounceChat).front().kind, NotificationKind::kLotteryAnnounced);
  EXPECT_EQ(outbox_of(kAnnounceChat).back().kind, NotificationKind::kResultsPublished);
  // Only a registered owner gets a private winner message.
  for (const Winner& winner : report->winners) {
    if (winner.user == owner.id) {
      EXPECT_EQ(outbox_of_kind(NotificationKind::kWinnerDrawn).size(), 1U);
    }
  }
  const auto actions = audit_actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), AuditAction::kWinCreated), 3);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), AuditAction::kLotteryDrawn), 1);
}

TEST_F(LotteryServiceTest, TheOwnerOfAWinningAccountGetsTheWinnerMessage) {
  const User owner = register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  const auto report = lotteries().draw(admin(), lottery.id).value();
  ASSERT_EQ(report.winners.at(0).user, owner.id);
  const auto messages = outbox_of(ChatId{1});
  ASSERT_EQ(messages.size(), 2U);  // account added, then the win
  const Notification& win = messages[1];
  EXPECT_EQ(win.kind, NotificationKind::kWinnerDrawn);
  EXPECT_EQ(win.winner, report.winners[0].id);
  EXPECT_EQ(win.place, 1);
  EXPECT_EQ(win.prize, "Приз 1");
  EXPECT_EQ(win.lottery_title, "Новогодний розыгрыш");
  EXPECT_EQ(win.account, account("11-22-33-44-55-66-77"));
  EXPECT_EQ(win.deadline, report.winners[0].deadline);
}

TEST_F(LotteryServiceTest, ASecondDrawIsRefusedAndPointsToRedraw) {
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, make_accounts(3));
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  const auto before = store_.snapshot();
  const auto again = lotteries().draw(admin(), lottery.id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyDrawn);
  EXPECT_EQ(store_.snapshot().winners, before.winners);
  EXPECT_EQ(lotteries().enrol(admin(), lottery.id, {}).error().code, ErrorCode::kLotteryNotOpen);
}

TEST_F(LotteryServiceTest, FewerEligibleAccountsThanPlacesLeavesTheRestEmpty) {
  const Lottery lottery = create_lottery(5);
  enrol(lottery.id, make_accounts(2));
  const auto report = lotteries().draw(admin(), lottery.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->winners.size(), 2U);
  ASSERT_EQ(report->empty_places.size(), 3U);
  EXPECT_EQ(report->empty_places[0].place, 3);
  EXPECT_EQ(report->empty_places[2].place, 5);
  EXPECT_EQ(outbox_of(private_chat_of(kAdmin)).back().detail, "3, 4, 5");
}

TEST_F(LotteryServiceTest, NothingToDrawIsRefused) {
  const Lottery empty = create_lottery(1);
  EXPECT_EQ(lotteries().draw(admin(), empty.id).error().code, ErrorCode::kNoEntries);
  const Lottery all_inactive = create_lottery(1);
  const auto made = make_accounts(2);
  enrol(all_inactive.id, made);
  for (const Account& each : made) ASSERT_TRUE(accounts().deactivate_account(admin(), each.number));
  EXPECT_EQ(lotteries().draw(admin(), all_inactive.id).error().code, ErrorCode::kNoEntries);
  EXPECT_EQ(store_.snapshot().lotteries.at(all_inactive.id.value()).status, LotteryStatus::kOpen);
  EXPECT_EQ(lotteries().draw(admin(), LotteryId{404}).error().code, ErrorCode::kUnknownLottery);
  EXPECT_EQ(lotteries().draw(Requester::telegram(TelegramUserId{1}), empty.id).error().code,
            ErrorCode::kNotAdmin);
}

// R-DRAW-3: a failure anywhere in the draw leaves no trace; the draw can then run.
TEST_F(LotteryServiceTest, ADrawIsAtomic) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(3);
  enrol(lottery.id, make_accounts(5));
  enrol(lottery.id, {add_account("2223", "55-55-55-55-55-55-55")});
  const auto before = store_.snapshot();
  // Fail at the n-th occurrence of each kind of write, mid-way through the draw.
  const std::vector<std::pair<std::string, int>> failures{
      {"winners.insert", 2}, {"outbox.enqueue", 1}, {"audit.append", 3}, {"commit", 1}};
  for (const auto& failure : failures) {
    const std::string& failing = failure.first;
    const int occurrence = failure.second;
    int seen = 0;
    store_.set_write_hook([&](std::string_view operation) {
      if (operation == failing && ++seen == occurrence) {
        throw StorageError(StorageError::Kind::kUnavailable, "disk on fire");
      }
    });
    const auto report = lotteries().draw(admin(), lottery.id);
    ASSERT_FALSE(report) << failing;
    EXPECT_EQ(report.error().code, ErrorCode::kStorageUnavailable);
    const auto after = store_.snapshot();
    EXPECT_EQ(after.winners, before.winners) << failing;
    EXPECT_EQ(after.verifications, before.verifications) << failing;
    EXPECT_EQ(after.outbox, before.outbox) << failing;
    EXPECT_EQ(after.audit, before.audit) << failing;
    EXPECT_EQ(after.lotteries, before.lotteries) << failing;
  }
  store_.set_write_hook(nullptr);
  EXPECT_TRUE(lotteries().draw(admin(), lottery.id));
}

// The draw is a function of the lottery's seed and its entries in enrolment order.
TEST_F(LotteryServiceTest, TheSameSeedAndEntriesGiveTheSameWinners) {
  auto run = [](std::uint64_t seed) {
    MemoryStore store;
    FakeClock clock;
    SeededRandom random(seed);
    SeededDrawRandomness draw_randomness;
    Settings settings;
    const Dependencies deps{store, clock, random, draw_randomness, settings};
    AccountService accounts(deps);
    LotteryService lotteries(deps);
    const auto lottery = lotteries.create(Requester::system(), "T", {{1, "A"}, {2, "B"}, {3, "C"}});
    for (int i = 0; i < 50; ++i) {
      const auto number = AccountNumber::parse("10-00-00-00-00-00-" + std::to_string(10 + i));
      (void)accounts.add_account(Requester::system(), std::nullopt, number.value());
    }
    (void)lotteries.enrol_all_active(Requester::system(), lottery->id);
    std::vector<std::string> winners;
    const auto report = lotteries.draw(Requester::system(), lottery->id);
    for (const auto& winner : report->winners) {
      winners.push_back(winner.account_number.str());
    }
    return winners;
  };
  EXPECT_EQ(run(1), run(1));
  EXPECT_NE(run(1), run(2));
}

class RedrawTest : public LotteryServiceTest {
 protected:
  // A lottery of `places` places among `accounts` ownerless accounts, drawn now.
  DrawReport drawn(int places, int accounts) {
    const Lottery lottery = create_lottery(places);
    enrol(lottery.id, make_accounts(accounts));
    return lotteries().draw(admin(), lottery.id).value();
  }
};

TEST_F(RedrawTest, ReplacesExpiredWinsWithNewWinnersForTheSamePlace) {
  const DrawReport draw = drawn(3, 20);
  const LotteryId id = draw.lottery.id;
  // Place 2 is confirmed in time... by an admin linking and the owner pressing.
  register_user(1, "2223");
  ASSERT_TRUE(accounts().add_account(admin(), card("2223"), draw.winners[1].account_number));
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, draw.winners[1].id));
  clock_.advance(std::chrono::hours{25});

  const auto report = lotteries().redraw(admin(), id);
  ASSERT_TRUE(report) << to_string(report.error().code);
  ASSERT_EQ(report->replaced.size(), 2U);
  ASSERT_EQ(report->winners.size(), 2U);
  EXPECT_EQ(report->replaced[0].place, 1);
  EXPECT_EQ(report->replaced[1].place, 3);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(report->winners[i].place, report->replaced[i].place);
    EXPECT_EQ(report->winners[i].prize, report->replaced[i].prize);
    EXPECT_EQ(report->winners[i].round, 2);
    EXPECT_EQ(report->winners[i].deadline, clock_.now() + std::chrono::hours{24});
    EXPECT_EQ(store_.snapshot().winners.at(report->replaced[i].id.value()).status,
              WinStatus::kRedrawn);
  }
  // Nobody who won in any round wins again.
  std::set<AccountId> all;
  for (const auto& [winner_id, winner] : store_.snapshot().winners) {
    if (winner.lottery == id) {
      EXPECT_TRUE(all.insert(winner.account).second);
    }
  }
  EXPECT_EQ(all.size(), 5U);
  EXPECT_EQ(store_.snapshot().winners.at(draw.winners[1].id.value()).status, WinStatus::kClaimed);
  EXPECT_EQ(outbox_of(private_chat_of(kAdmin)).back().kind, NotificationKind::kAdminRedrawn);
}

TEST_F(RedrawTest, NeverRedrawsAPendingWinBeforeItsDeadline) {
  const DrawReport draw = drawn(2, 10);
  clock_.advance(std::chrono::hours{23});
  const auto before = store_.snapshot();
  const auto report = lotteries().redraw(admin(), draw.lottery.id);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kNoExpiredWins);
  EXPECT_EQ(store_.snapshot().winners, before.winners);
}

TEST_F(RedrawTest, RefusesALotteryNotDrawnYet) {
  const Lottery lottery = create_lottery(1);
  EXPECT_EQ(lotteries().redraw(admin(), lottery.id).error().code, ErrorCode::kNotDrawn);
  EXPECT_EQ(lotteries().redraw(admin(), LotteryId{404}).error().code, ErrorCode::kUnknownLottery);
  EXPECT_EQ(lotteries().redraw(Requester::telegram(TelegramUserId{3}), lottery.id).error().code,
            ErrorCode::kNotAdmin);
}

// Redraws take the next alternates of the draw's own shuffle: the same accounts a
// draw with more places would have picked for the extra places.
TEST_F(RedrawTest, TakesTheNextAlternatesOfTheSameShuffle) {
  auto setup = [](MemoryStore& store, Clock& clock, int places) {
    static SeededDrawRandomness draw_randomness;
    SeededRandom random(555);
    Settings settings;
    const Dependencies deps{store, clock, random, draw_randomness, settings};
    LotteryService lotteries(deps);
    AccountService accounts(deps);
    std::vector<Prize> prizes;
    for (int place = 1; place <= places; ++place) prizes.push_back({place, "P"});
    const auto lottery = lotteries.create(Requester::system(), "T", prizes).value();
    for (int i = 0; i < 30; ++i) {
      (void)accounts.add_account(
          Requester::system(), std::nullopt,
          AccountNumber::parse("20-00-00-00-00-00-" + std::to_string(10 + i)).value());
    }
    (void)lotteries.enrol_all_active(Requester::system(), lottery.id);
    return lotteries.draw(Requester::system(), lottery.id).value();
  };
  MemoryStore three_places;
  FakeClock clock;
  const DrawReport draw = setup(three_places, clock, 3);
  MemoryStore five_places;
  FakeClock other_clock;
  const DrawReport wide = setup(five_places, other_clock, 5);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(draw.winners[i].account, wide.winners[i].account);
  }

  clock.advance(std::chrono::hours{30});
  SeededRandom random(1);
  SeededDrawRandomness draw_randomness;
  LotteryService lotteries(Dependencies{three_places, clock, random, draw_randomness, Settings{}});
  const auto redraw = lotteries.redraw(Requester::system(), draw.lottery.id).value();
  ASSERT_EQ(redraw.winners.size(), 3U);
  EXPECT_EQ(redraw.winners[0].account, wide.winners[3].account);
  EXPECT_EQ(redraw.winners[1].account, wide.winners[4].account);
}

TEST_F(RedrawTest, AWinWithNoEligibleAccountLeftStaysExpiredAndCanBeExtended) {
  const DrawReport draw = drawn(2, 2);
  clock_.advance(std::chrono::hours{25});
  const auto report = lotteries().redraw(admin(), draw.lottery.id);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->winners.empty());
  EXPECT_TRUE(report->replaced.empty());
  EXPECT_EQ(report->empty_places.size(), 2U);
  EXPECT_EQ(report->lottery.status, LotteryStatus::kDrawn);
  for (const Winner& win : draw.winners) {
    EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).status, WinStatus::kExpired);
  }
  EXPECT_TRUE(claims().extend_claim(admin(), draw.winners[0].id, std::nullopt));
}

TEST_F(RedrawTest, ExpiresOverdueWinsItselfAndTellsTheirWinners) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  const auto draw = lotteries().draw(admin(), lottery.id).value();
  ASSERT_TRUE(draw.winners.at(0).user);
  clock_.advance(std::chrono::hours{24});  // exactly at the deadline: expired
  const auto report = lotteries().redraw(admin(), lottery.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->empty_places.size(), 1U);  // nobody else to draw
  EXPECT_EQ(store_.snapshot().winners.at(draw.winners.at(0).id.value()).status,
            WinStatus::kExpired);
  const auto actions = audit_actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), AuditAction::kWinExpired), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), AuditAction::kWinRedrawn), 0);
  const auto expired = outbox_of_kind(NotificationKind::kWinExpired);
  ASSERT_EQ(expired.size(), 1U);
  EXPECT_EQ(expired[0].chat, ChatId{1});
}

}  // namespace
}  // namespace lottery::testing
