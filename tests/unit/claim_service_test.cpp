#include <gtest/gtest.h>

#include "core_fixture.hpp"
#include "lottery/core/delivery_service.hpp"

namespace lottery::testing {
namespace {

using std::chrono::hours;

// One registered client (Telegram id 1, card 2223) whose account is the only entry of
// a one-place lottery, drawn at the start: the win is theirs.
class ClaimTest : public CoreTest {
 protected:
  void SetUp() override {
    draw_ = &in_order_;  // Anna's account is enrolled first, so it wins
    owner_ = register_user(1, "2223");
    register_user(2, "4445");
    lottery_ = create_lottery(1);
    enrol(lottery_.id, {add_account("2223", "11-22-33-44-55-66-77"),
                        add_account(std::nullopt, "99-99-99-99-99-99-99")});
    win_ = lotteries().draw(admin(), lottery_.id).value().winners.at(0);
    ASSERT_EQ(win_->user, owner_.id);
  }

  InOrderDrawRandomness in_order_;

  Winner stored(WinnerId id) { return store_.snapshot().winners.at(id.value()); }
  WinnerVerification verification(WinnerId id) {
    return store_.snapshot().verifications.at(id.value());
  }
  VerificationCode code_of(const User& user) { return *user.verification_code; }

  User owner_;
  Lottery lottery_;
  std::optional<Winner> win_;
};

TEST_F(ClaimTest, TheOwnersButtonConfirmsTheWin) {
  clock_.advance(hours{3});
  const auto outcome = claims().confirm_by_button(TelegramUserId{1}, win_->id);
  ASSERT_TRUE(outcome) << to_string(outcome.error().code);
  EXPECT_FALSE(outcome->already_confirmed);
  const Winner now = stored(win_->id);
  EXPECT_EQ(now.status, WinStatus::kClaimed);
  EXPECT_TRUE(now.is_claimed());
  EXPECT_EQ(now.claimed_at, FakeClock::kStart + hours{3});
  EXPECT_EQ(now.claimed_how, ClaimMethod::kButton);
  EXPECT_TRUE(verification(win_->id).is_verified);
  EXPECT_EQ(verification(win_->id).verified_at, FakeClock::kStart + hours{3});
  EXPECT_EQ(outbox_of(ChatId{1}).back().kind, NotificationKind::kWinConfirmed);
  EXPECT_EQ(outbox_of(private_chat_of(kAdmin)).back().kind, NotificationKind::kAdminWinConfirmed);
  EXPECT_EQ(audit_actions().back(), AuditAction::kLotteryClosed);
  EXPECT_EQ(store_.snapshot().lotteries.at(lottery_.id.value()).status, LotteryStatus::kClosed);
}

TEST_F(ClaimTest, PressingTwiceIsHarmless) {
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win_->id));
  const auto before = store_.snapshot();
  clock_.advance(hours{1});
  const auto again = claims().confirm_by_button(TelegramUserId{1}, win_->id);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_confirmed);
  EXPECT_EQ(store_.snapshot().winners, before.winners);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
}

TEST_F(ClaimTest, AnotherUsersPressIsRefusedAndAudited) {
  const auto before = store_.snapshot();
  for (const std::int64_t presser : {2, 777}) {  // registered stranger, unknown user
    const auto outcome = claims().confirm_by_button(TelegramUserId{presser}, win_->id);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, ErrorCode::kNotYourWin);
    const AuditEvent event = store_.snapshot().audit.back();
    EXPECT_EQ(event.action, AuditAction::kWinConfirmRefused);
    EXPECT_EQ(event.actor.telegram_id, TelegramUserId{presser});
    EXPECT_EQ(event.winner, win_->id);
  }
  EXPECT_EQ(store_.snapshot().winners, before.winners);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
}

TEST_F(ClaimTest, AnUnknownWinIsRefusedAndAudited) {
  const auto outcome = claims().confirm_by_button(TelegramUserId{1}, WinnerId{987654});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kUnknownWinner);
  EXPECT_EQ(store_.snapshot().audit.back().action, AuditAction::kWinConfirmRefused);
  EXPECT_EQ(store_.snapshot().audit.back().winner, std::nullopt);
}

TEST_F(ClaimTest, TheButtonStopsWorkingAtTheDeadlineEvenBeforeTheExpiryJob) {
  clock_.advance(hours{24});
  const auto outcome = claims().confirm_by_button(TelegramUserId{1}, win_->id);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kWinExpired);
  EXPECT_EQ(stored(win_->id).status, WinStatus::kPending);
}

TEST_F(ClaimTest, ARedrawnWinCannotBeConfirmed) {
  clock_.advance(hours{25});
  ASSERT_TRUE(lotteries().redraw(admin(), lottery_.id));
  EXPECT_EQ(claims().confirm_by_button(TelegramUserId{1}, win_->id).error().code,
            ErrorCode::kWinRedrawn);
}

TEST_F(ClaimTest, AdminVerifiesByCode) {
  const auto outcome = claims().verify_by_code(admin(), code_of(owner_), lottery_.id, std::nullopt);
  ASSERT_TRUE(outcome) << to_string(outcome.error().code);
  ASSERT_TRUE(outcome->confirmed);
  EXPECT_FALSE(outcome->already_confirmed);
  EXPECT_EQ(stored(win_->id).claimed_how, ClaimMethod::kAdminCode);
  EXPECT_EQ(verification(win_->id).verified_by, kAdmin);
  EXPECT_EQ(outbox_of(ChatId{1}).back().kind, NotificationKind::kWinConfirmed);
  const auto actions = audit_actions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), AuditAction::kWinVerifiedByAdmin),
            actions.end());

  const auto again = claims().verify_by_code(admin(), code_of(owner_), lottery_.id, std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_confirmed);
}

TEST_F(ClaimTest, VerificationRefusals) {
  const auto before = store_.snapshot();
  const auto unknown_code = VerificationCode::parse("ZZZZZZZZ").value();
  EXPECT_EQ(claims().verify_by_code(admin(), unknown_code, lottery_.id, std::nullopt).error().code,
            ErrorCode::kUnknownCode);
  EXPECT_EQ(
      claims().verify_by_code(admin(), code_of(owner_), LotteryId{404}, std::nullopt).error().code,
      ErrorCode::kUnknownLottery);
  const User stranger = registration().find_user(TelegramUserId{2}).value().value();
  EXPECT_EQ(
      claims().verify_by_code(admin(), code_of(stranger), lottery_.id, std::nullopt).error().code,
      ErrorCode::kNoPendingWin);
  EXPECT_EQ(claims()
                .verify_by_code(Requester::telegram(TelegramUserId{1}), code_of(owner_),
                                lottery_.id, std::nullopt)
                .error()
                .code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(
      claims()
          .verify_by_code(admin(), code_of(owner_), lottery_.id, account("99-99-99-99-99-99-99"))
          .error()
          .code,
      ErrorCode::kNoPendingWin);
  EXPECT_EQ(store_.snapshot().winners, before.winners);
  clock_.advance(hours{24});
  EXPECT_EQ(
      claims().verify_by_code(admin(), code_of(owner_), lottery_.id, std::nullopt).error().code,
      ErrorCode::kWinExpired);
}

// Guessing codes leaves a trail: each unknown code is audited with the admin's id.
TEST_F(ClaimTest, AnUnknownCodeIsAudited) {
  const auto unknown_code = VerificationCode::parse("ZZZZZZZZ").value();
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(
        claims().verify_by_code(admin(), unknown_code, lottery_.id, std::nullopt).error().code,
        ErrorCode::kUnknownCode);
  }
  EXPECT_EQ(
      claims().verify_by_code(admin(), unknown_code, LotteryId{404}, std::nullopt).error().code,
      ErrorCode::kUnknownCode);
  std::vector<AuditEvent> failed;
  for (const AuditEvent& event : store_.snapshot().audit) {
    if (event.action == AuditAction::kVerificationFailed) failed.push_back(event);
  }
  ASSERT_EQ(failed.size(), 4U);
  EXPECT_EQ(failed[0].lottery, lottery_.id);
  EXPECT_EQ(failed[0].actor.telegram_id, TelegramUserId{kAdmin});
  EXPECT_EQ(failed[0].details,
            "unknown code ZZZZZZZZ for lottery " + std::to_string(lottery_.id.value()));
  EXPECT_EQ(failed[3].lottery, std::nullopt) << "no such lottery to point at";
}

// A user with two winning accounts confirms each one separately.
TEST_F(ClaimTest, EachWinningAccountIsConfirmedSeparately) {
  const Lottery two = create_lottery(2);
  enrol(two.id,
        {add_account("2223", "22-22-22-22-22-22-22"), add_account("2223", "33-33-33-33-33-33-33")});
  const auto wins = lotteries().draw(admin(), two.id).value().winners;
  ASSERT_EQ(wins.size(), 2U);

  const auto ambiguous = claims().verify_by_code(admin(), code_of(owner_), two.id, std::nullopt);
  ASSERT_TRUE(ambiguous);
  EXPECT_FALSE(ambiguous->confirmed);
  EXPECT_EQ(ambiguous->candidates.size(), 2U);

  const auto first =
      claims().verify_by_code(admin(), code_of(owner_), two.id, wins[0].account_number);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->confirmed->id, wins[0].id);
  EXPECT_EQ(stored(wins[1].id).status, WinStatus::kPending);

  const auto second = claims().confirm_by_button(TelegramUserId{1}, wins[1].id);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->already_confirmed);
  EXPECT_EQ(stored(wins[1].id).status, WinStatus::kClaimed);
}

TEST_F(ClaimTest, ExpiryTellsTheWinnerAndTheAdminsOnce) {
  clock_.advance(hours{23});
  EXPECT_TRUE(claims().expire_due()->empty());
  clock_.advance(hours{1});
  const auto expired = claims().expire_due();
  ASSERT_TRUE(expired);
  ASSERT_EQ(expired->size(), 1U);
  EXPECT_EQ(stored(win_->id).status, WinStatus::kExpired);
  EXPECT_EQ(outbox_of(ChatId{1}).back().kind, NotificationKind::kWinExpired);
  const auto admin_messages = outbox_of_kind(NotificationKind::kAdminWinsExpired);
  ASSERT_EQ(admin_messages.size(), 1U);
  EXPECT_EQ(admin_messages[0].lottery, lottery_.id);
  EXPECT_EQ(admin_messages[0].count, 1);

  const auto before = store_.snapshot();
  EXPECT_TRUE(claims().expire_due()->empty());
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
}

TEST_F(ClaimTest, RemindsOnceWhenAQuarterOfTheWindowIsLeft) {
  clock_.advance(hours{17});
  EXPECT_TRUE(claims().send_reminders()->empty());
  clock_.advance(hours{1});
  ASSERT_EQ(claims().send_reminders()->size(), 1U);
  EXPECT_EQ(outbox_of(ChatId{1}).back().kind, NotificationKind::kClaimReminder);
  EXPECT_TRUE(claims().send_reminders()->empty());
}

TEST_F(ClaimTest, AnAdminCanExtendAnExpiredWinUntilItIsRedrawn) {
  clock_.advance(hours{30});
  ASSERT_EQ(claims().expire_due()->size(), 1U);
  const auto extended = claims().extend_claim(admin(), win_->id, hours{12});
  ASSERT_TRUE(extended);
  EXPECT_EQ(extended->status, WinStatus::kPending);
  EXPECT_EQ(extended->deadline, clock_.now() + hours{12});
  EXPECT_EQ(verification(win_->id).expires_at, clock_.now() + hours{12});
  EXPECT_EQ(outbox_of(ChatId{1}).back().kind, NotificationKind::kClaimExtended);
  EXPECT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win_->id));
  EXPECT_EQ(claims().extend_claim(admin(), win_->id, std::nullopt).error().code,
            ErrorCode::kWinAlreadyClaimed);
}

TEST_F(ClaimTest, ExtensionRefusals) {
  EXPECT_EQ(claims().extend_claim(admin(), win_->id, hours{0}).error().code,
            ErrorCode::kInvalidDuration);
  EXPECT_EQ(claims().extend_claim(admin(), win_->id, hours{24 * 31}).error().code,
            ErrorCode::kInvalidDuration);
  EXPECT_EQ(claims().extend_claim(admin(), WinnerId{404}, std::nullopt).error().code,
            ErrorCode::kUnknownWinner);
  EXPECT_EQ(claims()
                .extend_claim(Requester::telegram(TelegramUserId{1}), win_->id, std::nullopt)
                .error()
                .code,
            ErrorCode::kNotAdmin);
  clock_.advance(hours{25});
  ASSERT_TRUE(lotteries().redraw(admin(), lottery_.id));
  EXPECT_EQ(claims().extend_claim(admin(), win_->id, std::nullopt).error().code,
            ErrorCode::kWinRedrawn);
}

TEST_F(ClaimTest, ThePrizeIsHandedOverOnceAndOnlyWhenClaimed) {
  EXPECT_EQ(claims().record_prize_given(admin(), win_->id).error().code, ErrorCode::kWinNotClaimed);
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win_->id));
  clock_.advance(hours{2});
  const auto given = claims().record_prize_given(admin(), win_->id);
  ASSERT_TRUE(given);
  EXPECT_EQ(given->prize_given_at, clock_.now());
  EXPECT_EQ(stored(win_->id).prize_given_at, clock_.now());
  EXPECT_EQ(audit_actions().back(), AuditAction::kPrizeHandedOver);
  EXPECT_EQ(claims().record_prize_given(admin(), win_->id).error().code,
            ErrorCode::kPrizeAlreadyGiven);
}

}  // namespace
}  // namespace lottery::testing

namespace lottery::testing {
namespace {

class DeliveryTest : public CoreTest {};

TEST_F(DeliveryTest, GivingUpOnAWinnerMessageTellsTheAdminsAndAuditsIt) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  const auto win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  const Notification message = outbox_of_kind(NotificationKind::kWinnerDrawn).at(0);
  ASSERT_TRUE(DeliveryService(deps()).give_up(message, "403: bot was blocked by the user"));
  const auto warnings = outbox_of_kind(NotificationKind::kAdminUndeliverable);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].chat, private_chat_of(kAdmin));
  EXPECT_EQ(warnings[0].winner, win.id);
  EXPECT_EQ(warnings[0].count, 1);
  EXPECT_EQ(audit_actions().back(), AuditAction::kMessageUndeliverable);
  EXPECT_TRUE(store_.snapshot().deliveries.at(message.id.value()).failed_at);
  // A message for an admin that fails is not echoed to the admins.
  ASSERT_TRUE(DeliveryService(deps()).give_up(warnings[0], "403"));
  EXPECT_EQ(outbox_of_kind(NotificationKind::kAdminUndeliverable).size(), 1U);
}

// R-AUDIT-1: the audit says when the winner message reached Telegram; other messages
// leave no audit event.
TEST_F(DeliveryTest, AWinnerMessageAcceptedByTelegramIsAuditedAsNotified) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  const auto win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  const Notification message = outbox_of_kind(NotificationKind::kWinnerDrawn).at(0);
  const auto before = store_.snapshot().audit.size();
  ASSERT_TRUE(DeliveryService(deps()).record_sent(message, 777));
  const auto events = store_.snapshot().audit;
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events.back().action, AuditAction::kWinNotified);
  EXPECT_EQ(events.back().winner, win.id);
  EXPECT_EQ(events.back().lottery, lottery.id);
  EXPECT_TRUE(store_.snapshot().deliveries.at(message.id.value()).sent_at);

  const Notification admins = outbox_of_kind(NotificationKind::kAdminDrawn).at(0);
  ASSERT_TRUE(DeliveryService(deps()).record_sent(admins, std::nullopt));
  EXPECT_EQ(store_.snapshot().audit.size(), before + 1);
}

}  // namespace
}  // namespace lottery::testing
