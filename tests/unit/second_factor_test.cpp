// R-2FA-1: with an SMS gateway, the winner's button confirms only with the one-time
// code sent to the phone on their card; the admin's code path does not change.

#include <gtest/gtest.h>

#include "core_fixture.hpp"
#include "fakes/recording_sms_gateway.hpp"

namespace lottery::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class SecondFactorTest : public CoreTest {
 protected:
  void SetUp() override {
    anna_ = registration()
                .register_user(RegistrationRequest{TelegramUserId{1}, "anna", "Анна", card("2223"),
                                                   Phone::parse("+7 900 111-22-33").value()})
                .value();
    const Lottery lottery = create_lottery(1);
    lottery_ = lottery.id;
    enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
    win_ = lotteries().draw(admin(), lottery.id).value().winners.at(0).id;
  }

  ClaimService with_sms() {
    Dependencies dependencies = deps();
    dependencies.sms = &gateway_;
    return ClaimService(dependencies);
  }
  WinStatus status() { return store_.snapshot().winners.at(win_.value()).status; }
  std::size_t count(AuditAction action) {
    const auto actions = audit_actions();
    return static_cast<std::size_t>(std::count(actions.begin(), actions.end(), action));
  }
  std::string last_code() { return gateway_.sent.back().second; }
  std::string wrong_code() { return last_code() == "000000" ? "111111" : "000000"; }

  RecordingSmsGateway gateway_;
  User anna_;
  LotteryId lottery_;
  WinnerId win_;
};

TEST_F(SecondFactorTest, TheButtonSendsACodeAndTheCodeConfirms) {
  const auto pressed = with_sms().confirm_by_button(TelegramUserId{1}, win_);
  ASSERT_TRUE(pressed);
  EXPECT_EQ(pressed->code_sent_to, "+7 *** ***-**-33");
  EXPECT_EQ(status(), WinStatus::kPending);
  ASSERT_EQ(gateway_.sent.size(), 1U);
  EXPECT_EQ(gateway_.sent[0].first, "+79001112233");
  EXPECT_EQ(gateway_.sent[0].second.size(), 6U);
  EXPECT_EQ(gateway_.sent[0].second.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(count(AuditAction::kWinSmsSent), 1U);

  const auto confirmed = with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, last_code());
  ASSERT_TRUE(confirmed) << to_string(confirmed.error().code);
  EXPECT_EQ(status(), WinStatus::kClaimed);
  EXPECT_EQ(store_.snapshot().winners.at(win_.value()).claimed_how, ClaimMethod::kButton);
  EXPECT_EQ(count(AuditAction::kWinConfirmed), 1U);
  EXPECT_EQ(store_.snapshot().challenges.at(win_.value()).attempts_left, 0);  // used up
  // Typed again: it is confirmed, nothing else happens.
  EXPECT_TRUE(
      with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, last_code())->already_confirmed);
}

TEST_F(SecondFactorTest, FiveWrongTriesUseTheCodeUp) {
  ASSERT_TRUE(with_sms().confirm_by_button(TelegramUserId{1}, win_));
  const std::string right = last_code();
  for (int left = 4; left >= 0; --left) {
    const auto wrong = with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, wrong_code());
    EXPECT_EQ(wrong.error().code, ErrorCode::kWrongSmsCode);
    EXPECT_EQ(wrong.error().detail, std::to_string(left));
  }
  EXPECT_EQ(with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, right).error().code,
            ErrorCode::kNoSmsChallenge);
  EXPECT_EQ(status(), WinStatus::kPending);
  EXPECT_EQ(count(AuditAction::kWinSmsRefused), 6U);
}

TEST_F(SecondFactorTest, ACodeLastsTenMinutesAndIsResentOnlyAfterAMinute) {
  ASSERT_TRUE(with_sms().confirm_by_button(TelegramUserId{1}, win_));
  clock_.advance(seconds{30});
  ASSERT_TRUE(with_sms().confirm_by_button(TelegramUserId{1}, win_));
  EXPECT_EQ(gateway_.sent.size(), 1U);  // a code is on its way: none is sent again
  clock_.advance(seconds{31});
  ASSERT_TRUE(with_sms().confirm_by_button(TelegramUserId{1}, win_));
  ASSERT_EQ(gateway_.sent.size(), 2U);
  const std::string first = gateway_.sent[0].second;
  if (first != last_code()) {
    EXPECT_EQ(with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, first).error().code,
              ErrorCode::kWrongSmsCode);
  }
  clock_.advance(minutes{10});
  EXPECT_EQ(with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, last_code()).error().code,
            ErrorCode::kSmsCodeExpired);
  EXPECT_EQ(status(), WinStatus::kPending);
}

TEST_F(SecondFactorTest, NoPhoneNoGatewayOrAnotherUserConfirmsNothing) {
  gateway_.accepts = false;
  EXPECT_EQ(with_sms().confirm_by_button(TelegramUserId{1}, win_).error().code,
            ErrorCode::kSmsNotSent);
  EXPECT_TRUE(store_.snapshot().challenges.empty());  // rolled back with the refusal
  gateway_.accepts = true;
  ASSERT_TRUE(with_sms().confirm_by_button(TelegramUserId{1}, win_));
  register_user(2, "4445");
  EXPECT_EQ(with_sms().confirm_with_sms_code(TelegramUserId{2}, win_, last_code()).error().code,
            ErrorCode::kNotYourWin);
  EXPECT_EQ(
      with_sms().confirm_with_sms_code(TelegramUserId{1}, WinnerId{404}, "123456").error().code,
      ErrorCode::kUnknownWinner);

  // A client who registered without a phone is told to see the admin.
  const Lottery other = create_lottery(1, "Второй");
  enrol(other.id, {add_account("4445", "22-33-44-55-66-77-88")});
  const WinnerId boris_win = lotteries().draw(admin(), other.id).value().winners.at(0).id;
  EXPECT_EQ(with_sms().confirm_by_button(TelegramUserId{2}, boris_win).error().code,
            ErrorCode::kNoPhoneForSecondFactor);
  EXPECT_EQ(status(), WinStatus::kPending);
}

TEST_F(SecondFactorTest, TheAdminsCodePathNeedsNoSms) {
  const auto verified =
      with_sms().verify_by_code(admin(), *anna_.verification_code, lottery_, std::nullopt);
  ASSERT_TRUE(verified);
  EXPECT_EQ(status(), WinStatus::kClaimed);
  EXPECT_TRUE(gateway_.sent.empty());
}

TEST_F(SecondFactorTest, WithoutAGatewayTheButtonConfirmsAtOnce) {
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win_));
  EXPECT_EQ(status(), WinStatus::kClaimed);
}

// An attacker holding the winner's Telegram account cannot guess their way in by
// pressing again and again: for the win's whole life at most 3 codes are sent and 10
// guesses compared, then the winner is sent to the admin.
TEST_F(SecondFactorTest, PressingAgainGivesNoFreshSupplyOfGuessesOrTexts) {
  int compared = 0;
  for (int round = 0; round < 60; ++round) {  // an hour of trying
    const auto pressed = with_sms().confirm_by_button(TelegramUserId{1}, win_);
    for (int guess = 0; guess < 5; ++guess) {
      const auto outcome = with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, wrong_code());
      if (outcome.error().code == ErrorCode::kWrongSmsCode) ++compared;
    }
    if (!pressed) {
      EXPECT_EQ(pressed.error().code, ErrorCode::kSmsLimitReached);
    }
    clock_.advance(seconds{61});
  }
  EXPECT_LE(gateway_.sent.size(), static_cast<std::size_t>(ClaimService::kSmsCodesPerWin));
  EXPECT_EQ(compared, ClaimService::kSmsGuessesPerWin);
  EXPECT_EQ(status(), WinStatus::kPending);
  // The admin's path is still open.
  EXPECT_TRUE(with_sms().verify_by_code(admin(), *anna_.verification_code, lottery_, std::nullopt));
}

TEST_F(SecondFactorTest, AtMostThreeCodesAreSentForAWin) {
  for (int press = 0; press < 5; ++press) {
    (void)with_sms().confirm_by_button(TelegramUserId{1}, win_);
    clock_.advance(seconds{61});
  }
  EXPECT_EQ(gateway_.sent.size(), 3U);
  EXPECT_EQ(with_sms().confirm_by_button(TelegramUserId{1}, win_).error().code,
            ErrorCode::kSmsLimitReached);
  // The last code still works while it lasts (sent three minutes ago).
  EXPECT_TRUE(with_sms().confirm_with_sms_code(TelegramUserId{1}, win_, last_code()));
}

}  // namespace
}  // namespace lottery::testing
