// Races for real: threads on separate sessions of one PostgreSQL database, started
// together; each test asserts the one consistent outcome whatever the interleaving.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "fakes/fake_clock.hpp"
#include "fakes/recording_sms_gateway.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

using std::chrono::hours;

constexpr TelegramUserId kAdmin{9000};
constexpr int kRounds = 8;

// Runs `first` and `second` on two threads released at the same moment.
template <class First, class Second>
void race(First&& first, Second&& second) {
  std::latch start(2);
  std::thread a([&] {
    start.arrive_and_wait();
    first();
  });
  std::thread b([&] {
    start.arrive_and_wait();
    second();
  });
  a.join();
  b.join();
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = make_postgres_database(true, 4);
    settings_.admins = {kAdmin};
  }

  Dependencies deps(Clock& clock) {
    return Dependencies{*database_, clock, random_, draw_randomness_, settings_};
  }
  static Requester admin() { return Requester::telegram(kAdmin); }

  // A registered client (Telegram id = `client`) whose account alone is enrolled in a
  // new one-place lottery, drawn now: returns the win.
  Winner drawn_win(std::int64_t client) {
    RegistrationService registration(deps(clock_));
    const std::string card = std::to_string(5000 + client);
    EXPECT_TRUE(registration.register_user(RegistrationRequest{
        TelegramUserId{client}, "", "Client", ClubCard::parse(card).value(), std::nullopt}));
    AccountService accounts(deps(clock_));
    char number[64];
    std::snprintf(number, sizeof number, "77-00-00-00-00-%02lld-%02lld",
                  static_cast<long long>(client / 100), static_cast<long long>(client % 100));
    const auto added = accounts.add_account(admin(), ClubCard::parse(card).value(),
                                            AccountNumber::parse(number).value());
    LotteryService lotteries(deps(clock_));
    const auto lottery = lotteries.create(admin(), "Гонка", {{1, "Приз"}}).value();
    const std::vector<AccountNumber> entry{added->account.number};
    EXPECT_TRUE(lotteries.enrol(admin(), lottery.id, entry));
    // A second, ownerless entry, so that a redraw has someone to pick.
    std::snprintf(number, sizeof number, "88-00-00-00-00-%02lld-%02lld",
                  static_cast<long long>(client / 100), static_cast<long long>(client % 100));
    const auto spare =
        accounts.add_account(admin(), std::nullopt, AccountNumber::parse(number).value());
    const std::vector<AccountNumber> spare_entry{spare->account.number};
    EXPECT_TRUE(lotteries.enrol(admin(), lottery.id, spare_entry));
    // The spare sits out the draw (so the client's account wins) and is back for
    // redraws.
    EXPECT_TRUE(accounts.deactivate_account(admin(), spare->account.number));
    const auto draw = lotteries.draw(admin(), lottery.id).value();
    EXPECT_TRUE(accounts.add_account(admin(), std::nullopt, spare->account.number));
    return draw.winners.at(0);
  }

  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  SeededRandom random_{99};
  SeededDrawRandomness draw_randomness_;
  Settings settings_;
};

TEST_F(ConcurrencyTest, ButtonAndAdminConfirmingOneWinAtOnceConfirmItOnce) {
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t client = 100 + round;
    const Winner win = drawn_win(client);
    const auto user = RegistrationService(deps(clock_)).find_user(TelegramUserId{client});
    const VerificationCode code = *user.value()->verification_code;
    Result<ConfirmOutcome> by_button = fail(ErrorCode::kConflict);
    Result<VerifyOutcome> by_admin = fail(ErrorCode::kConflict);
    race(
        [&] {
          by_button = ClaimService(deps(clock_)).confirm_by_button(TelegramUserId{client}, win.id);
        },
        [&] {
          by_admin =
              ClaimService(deps(clock_)).verify_by_code(admin(), code, win.lottery, std::nullopt);
        });
    ASSERT_TRUE(by_button) << to_string(by_button.error().code);
    ASSERT_TRUE(by_admin) << to_string(by_admin.error().code);
    // Exactly one of them did it; the other saw it done.
    EXPECT_NE(by_button->already_confirmed, by_admin->already_confirmed);
    auto transaction = database_->begin();
    const auto stored = transaction->winners().find(win.id).value();
    EXPECT_EQ(stored.status, WinStatus::kClaimed);
    const auto events = transaction->audit().for_lottery(win.lottery);
    const auto confirmations = std::count_if(events.begin(), events.end(), [](const auto& event) {
      return event.action == AuditAction::kWinConfirmed ||
             event.action == AuditAction::kWinVerifiedByAdmin;
    });
    EXPECT_EQ(confirmations, 1);
  }
}

TEST_F(ConcurrencyTest, TwoPressesAtOnceConfirmOnce) {
  const Winner win = drawn_win(200);
  Result<ConfirmOutcome> first = fail(ErrorCode::kConflict);
  Result<ConfirmOutcome> second = fail(ErrorCode::kConflict);
  race([&] { first = ClaimService(deps(clock_)).confirm_by_button(TelegramUserId{200}, win.id); },
       [&] { second = ClaimService(deps(clock_)).confirm_by_button(TelegramUserId{200}, win.id); });
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->already_confirmed, second->already_confirmed);
  std::size_t confirmed_messages = 0;
  while (true) {  // the chat's messages come one at a time, each after the one before
    auto transaction = database_->begin();
    const auto pending = transaction->outbox().pending(1, clock_.now(), "test", {});
    if (pending.empty()) break;
    if (pending.front().kind == NotificationKind::kWinConfirmed) ++confirmed_messages;
    transaction->outbox().mark_sent(pending.front().id, clock_.now(), std::nullopt);
    transaction->commit();
  }
  EXPECT_EQ(confirmed_messages, 1U);
}

// R-2FA-1: guesses sent at once spend the code's tries one each; none gets past them.
TEST_F(ConcurrencyTest, SmsCodeGuessesAtOnceNeverExceedTheTries) {
  const Winner win = drawn_win(300);
  {
    auto transaction = database_->begin();
    User user = transaction->users().find_by_telegram_id(TelegramUserId{300}).value();
    user.phone = Phone::parse("+79001112233").value();
    ASSERT_TRUE(transaction->users().update(user));
    transaction->commit();
  }
  testing::RecordingSmsGateway gateway;
  Dependencies with_sms = deps(clock_);
  with_sms.sms = &gateway;
  ASSERT_TRUE(ClaimService(with_sms).confirm_by_button(TelegramUserId{300}, win.id));
  const std::string code = gateway.sent.at(0).second;
  const std::string wrong = code == "000000" ? "111111" : "000000";
  constexpr int kGuessers = 8;
  std::latch start(kGuessers);
  std::atomic<int> wrong_answers{0};
  std::vector<std::thread> guessers;
  for (int i = 0; i < kGuessers; ++i) {
    guessers.emplace_back([&] {
      start.arrive_and_wait();
      const auto outcome =
          ClaimService(with_sms).confirm_with_sms_code(TelegramUserId{300}, win.id, wrong);
      if (!outcome && outcome.error().code == ErrorCode::kWrongSmsCode) ++wrong_answers;
    });
  }
  for (auto& guesser : guessers) guesser.join();
  EXPECT_LE(wrong_answers.load(), ClaimService::kSmsCodeAttempts);
  EXPECT_EQ(database_->scalar("SELECT attempts_left FROM win_challenges"), 0);
  EXPECT_LE(database_->scalar("SELECT guesses FROM win_challenges"),
            ClaimService::kSmsCodeAttempts);
  // The right code comes too late: the tries are spent.
  EXPECT_EQ(
      ClaimService(with_sms).confirm_with_sms_code(TelegramUserId{300}, win.id, code).error().code,
      ErrorCode::kNoSmsChallenge);
}

// At the deadline a confirmation (by a clock just before it) races a redraw (by a
// clock just after it): the win is either claimed and kept, or expired and redrawn.
TEST_F(ConcurrencyTest, AConfirmationRacingARedrawHasOneOutcome) {
  int claimed = 0;
  int redrawn = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::int64_t client = 300 + round;
    const Winner win = drawn_win(client);
    FakeClock before(win.deadline - std::chrono::microseconds{1});
    FakeClock after(win.deadline);
    Result<ConfirmOutcome> confirmation = fail(ErrorCode::kConflict);
    Result<RedrawReport> redraw = fail(ErrorCode::kConflict);
    race(
        [&] {
          confirmation =
              ClaimService(deps(before)).confirm_by_button(TelegramUserId{client}, win.id);
        },
        [&] { redraw = LotteryService(deps(after)).redraw(admin(), win.lottery); });
    auto transaction = database_->begin();
    const auto stored = transaction->winners().find(win.id).value();
    const auto all = transaction->winners().list_by_lottery(win.lottery);
    if (confirmation) {
      ++claimed;
      EXPECT_FALSE(confirmation->already_confirmed);
      EXPECT_EQ(stored.status, WinStatus::kClaimed);
      ASSERT_FALSE(redraw);
      EXPECT_EQ(redraw.error().code, ErrorCode::kNoExpiredWins);
      EXPECT_EQ(all.size(), 1U);
    } else {
      // The redraw expired the win first: the press found it expired, or already
      // redrawn. (Whether an alternate was left depends on the shuffle.)
      ++redrawn;
      EXPECT_TRUE(confirmation.error().code == ErrorCode::kWinExpired ||
                  confirmation.error().code == ErrorCode::kWinRedrawn)
          << to_string(confirmation.error().code);
      ASSERT_TRUE(redraw) << to_string(redraw.error().code);
      EXPECT_EQ(stored.status, redraw->winners.empty() ? WinStatus::kExpired : WinStatus::kRedrawn);
      EXPECT_EQ(redraw->replaced.size(), redraw->winners.size());
      EXPECT_EQ(all.size(), 1 + redraw->winners.size());
    }
  }
  EXPECT_EQ(claimed + redrawn, kRounds);
}

TEST_F(ConcurrencyTest, TwoDrawsOfOneLotteryAtOnceDrawItOnce) {
  for (int round = 0; round < kRounds; ++round) {
    AccountService accounts(deps(clock_));
    LotteryService lotteries(deps(clock_));
    const auto lottery = lotteries.create(admin(), "Дважды", {{1, "A"}, {2, "B"}}).value();
    for (int i = 0; i < 5; ++i) {
      char number[64];
      std::snprintf(number, sizeof number, "55-%02d-00-00-00-00-%02d", round, i);
      const auto added =
          accounts.add_account(admin(), std::nullopt, AccountNumber::parse(number).value());
      const std::vector<AccountNumber> entry{added->account.number};
      ASSERT_TRUE(lotteries.enrol(admin(), lottery.id, entry));
    }
    Result<DrawReport> first = fail(ErrorCode::kConflict);
    Result<DrawReport> second = fail(ErrorCode::kConflict);
    race([&] { first = LotteryService(deps(clock_)).draw(admin(), lottery.id); },
         [&] { second = LotteryService(deps(clock_)).draw(admin(), lottery.id); });
    ASSERT_NE(first.has_value(), second.has_value());
    const auto& refused = first ? second : first;
    EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyDrawn);
    auto transaction = database_->begin();
    EXPECT_EQ(transaction->winners().list_by_lottery(lottery.id).size(), 2U);
  }
}

TEST_F(ConcurrencyTest, OneCardRegisteredTwiceAtOnceGoesToOneUser) {
  for (int round = 0; round < kRounds; ++round) {
    const auto card = ClubCard::parse(std::to_string(7000 + round)).value();
    Result<User> first = fail(ErrorCode::kConflict);
    Result<User> second = fail(ErrorCode::kConflict);
    const std::int64_t base = 10000 + round * 2;
    race(
        [&] {
          first = RegistrationService(deps(clock_))
                      .register_user(
                          RegistrationRequest{TelegramUserId{base}, "", "A", card, std::nullopt});
        },
        [&] {
          second = RegistrationService(deps(clock_))
                       .register_user(RegistrationRequest{TelegramUserId{base + 1}, "", "B", card,
                                                          std::nullopt});
        });
    ASSERT_NE(first.has_value(), second.has_value());
    EXPECT_EQ((first ? second : first).error().code, ErrorCode::kCardTaken);
  }
}

TEST_F(ConcurrencyTest, OneAccountAddedTwiceAtOnceExistsOnce) {
  for (int round = 0; round < kRounds; ++round) {
    char text[64];
    std::snprintf(text, sizeof text, "66-00-00-00-00-00-%02d", round);
    const auto number = AccountNumber::parse(text).value();
    Result<AddAccountOutcome> first = fail(ErrorCode::kConflict);
    Result<AddAccountOutcome> second = fail(ErrorCode::kConflict);
    race([&] { first = AccountService(deps(clock_)).add_account(admin(), std::nullopt, number); },
         [&] { second = AccountService(deps(clock_)).add_account(admin(), std::nullopt, number); });
    ASSERT_TRUE(first) << to_string(first.error().code) << " " << first.error().detail;
    ASSERT_TRUE(second) << to_string(second.error().code) << " " << second.error().detail;
    EXPECT_NE(first->result, second->result);  // one added it, the other found it there
    auto transaction = database_->begin();
    EXPECT_TRUE(transaction->accounts().find_by_number(number));
  }
}

// Two processes' connections to one database: a job runs on one of them at a time.
TEST_F(ConcurrencyTest, AJobLockIsHeldByOneInstanceAtATime) {
  const auto other = db::Database::connect(database_->url(), 1);
  auto held = database_->database().try_lock_job("expiry");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(other->try_lock_job("expiry"), nullptr);
  EXPECT_NE(other->try_lock_job("another job"), nullptr);
  // The holder's own transactions go on while it holds the lock (a pool of one too).
  const auto single = db::Database::connect(database_->url(), 1);
  {
    const auto lock = single->try_lock_job("single");
    ASSERT_NE(lock, nullptr);
    auto transaction = single->begin();
    transaction->commit();
  }
  held.reset();
  EXPECT_NE(other->try_lock_job("expiry"), nullptr);
  // A schema of its own is a database of its own: the same job is free there.
  const auto elsewhere = make_postgres_database(true, 1);
  held = database_->database().try_lock_job("expiry");
  EXPECT_NE(elsewhere->database().try_lock_job("expiry"), nullptr);
}

}  // namespace
}  // namespace lottery::testing
