// The admins' tools for clients: /find (and /list_accounts), /move_account, /new_code.

#include "lottery/core/client_service.hpp"

#include <gtest/gtest.h>

#include "core_fixture.hpp"

namespace lottery::testing {
namespace {

class ClientServiceTest : public CoreTest {
 protected:
  ClientService clients() { return ClientService(deps()); }

  // Anna: Telegram id 1, @user1, card 2223, phone +79001112233, one account.
  void SetUp() override {
    anna_ =
        registration()
            .register_user(RegistrationRequest{TelegramUserId{1}, "Anna_K", "Анна", card("2223"),
                                               Phone::parse("+7 900 111-22-33").value()})
            .value();
    add_account("2223", "11-22-33-44-55-66-77");
  }

  std::vector<UserId> found(std::string_view query) {
    std::vector<UserId> ids;
    const auto cards = clients().find(admin(), query);
    if (!cards) return ids;
    for (const ClientCard& card : *cards) ids.push_back(card.user.id);
    return ids;
  }

  User anna_;
};

TEST_F(ClientServiceTest, FindsAClientByEveryKeyAnAdminKnows) {
  for (const std::string_view query :
       {"2223", "02223", "@anna_k", "@ANNA_K", "anna_k", "+79001112233", "8 900 111 22 33",
        "11-22-33-44-55-66-77", "11223344556677", "1", " 2223 "}) {
    EXPECT_EQ(found(query), std::vector<UserId>{anna_.id}) << query;
  }
  const auto card = clients().find(admin(), "2223").value().at(0);
  // Who looked whom up is kept.
  EXPECT_EQ(store_.snapshot().audit.back().action, AuditAction::kClientLookedUp);
  EXPECT_EQ(store_.snapshot().audit.back().actor.telegram_id, kAdmin);
  EXPECT_EQ(store_.snapshot().audit.back().details,
            "query \"2223\" found users [" + std::to_string(anna_.id.value()) + "]");
  EXPECT_EQ(card.user.first_name, "Анна");
  ASSERT_EQ(card.accounts.size(), 1U);
  EXPECT_TRUE(card.wins.empty());
}

TEST_F(ClientServiceTest, ABareNumberNamesEveryClientItCanBe) {
  // Boris's card is 1, which is also Anna's Telegram id.
  const User boris = register_user(2, "1");
  EXPECT_EQ(found("1"), (std::vector<UserId>{anna_.id, boris.id}));
}

TEST_F(ClientServiceTest, SaysWhenNobodyOrAnOwnerlessAccountMatches) {
  EXPECT_EQ(clients().find(admin(), "@nobody_here").error().code, ErrorCode::kNoClient);
  EXPECT_EQ(store_.snapshot().audit.back().details, "query \"@nobody_here\" found users []");
  EXPECT_EQ(clients().find(admin(), "   ").error().code, ErrorCode::kNoClient);
  EXPECT_EQ(clients().find(admin(), std::string(1000, '9')).error().code, ErrorCode::kNoClient);
  add_account(std::nullopt, "99-99-99-99-99-99-99");
  const auto ownerless = clients().find(admin(), "99-99-99-99-99-99-99");
  EXPECT_EQ(ownerless.error().code, ErrorCode::kAccountWithoutOwner);
  EXPECT_EQ(ownerless.error().detail, "99-99-99-99-99-99-99");
  EXPECT_EQ(clients().find(Requester::telegram(TelegramUserId{1}), "2223").error().code,
            ErrorCode::kNotAdmin);
}

TEST_F(ClientServiceTest, TheCardShowsTheClientsWins) {
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {store_.snapshot().accounts.begin()->second});
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  const auto card = clients().find(admin(), "@anna_k").value().at(0);
  ASSERT_EQ(card.wins.size(), 1U);
  EXPECT_EQ(card.wins[0].lottery_title, lottery.title);
  EXPECT_EQ(card.wins[0].winner.status, WinStatus::kPending);
}

// /move_account gives the account and its open wins to the new owner, who is told and
// whose button then works; the previous owner's does not (R-OWNER-1).
TEST_F(ClientServiceTest, MovingAnAccountHandsItsOpenWinsToTheNewOwner) {
  const User boris = register_user(2, "4445");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {store_.snapshot().accounts.begin()->second});
  const Winner win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  const auto moved = clients().move_account(admin(), account("11-22-33-44-55-66-77"), card("4445"));
  ASSERT_TRUE(moved);
  EXPECT_TRUE(moved->moved);
  EXPECT_EQ(moved->previous_owner->id, anna_.id);
  EXPECT_EQ(moved->owner.id, boris.id);
  ASSERT_EQ(moved->handed_wins.size(), 1U);
  EXPECT_EQ(store_.snapshot().accounts.begin()->second.owner, boris.id);
  EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).user, boris.id);
  const auto to_boris = outbox_of(ChatId{2});
  ASSERT_EQ(to_boris.size(), 2U);
  EXPECT_EQ(to_boris[0].kind, NotificationKind::kAccountAdded);
  EXPECT_EQ(to_boris[1].kind, NotificationKind::kWinnerDrawn);
  EXPECT_EQ(audit_actions().back(), AuditAction::kWinLinked);
  const auto actions = audit_actions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), AuditAction::kAccountMoved), actions.end());

  EXPECT_EQ(claims().confirm_by_button(TelegramUserId{1}, win.id).error().code,
            ErrorCode::kNotYourWin);
  EXPECT_TRUE(claims().confirm_by_button(TelegramUserId{2}, win.id));
}

TEST_F(ClientServiceTest, AConfirmedWinStaysWithWhoeverConfirmedIt) {
  register_user(2, "4445");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {store_.snapshot().accounts.begin()->second});
  const Winner win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  ASSERT_TRUE(claims().confirm_by_button(TelegramUserId{1}, win.id));
  const auto moved = clients().move_account(admin(), account("11-22-33-44-55-66-77"), card("4445"));
  ASSERT_TRUE(moved);
  EXPECT_TRUE(moved->handed_wins.empty());
  EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).user, anna_.id);
}

TEST_F(ClientServiceTest, MoveRefusalsChangeNothing) {
  const auto before = store_.snapshot();
  EXPECT_EQ(
      clients().move_account(admin(), account("99-99-99-99-99-99-99"), card("2223")).error().code,
      ErrorCode::kUnknownAccount);
  EXPECT_EQ(
      clients().move_account(admin(), account("11-22-33-44-55-66-77"), card("7777")).error().code,
      ErrorCode::kUnknownUser);
  EXPECT_EQ(clients()
                .move_account(Requester::telegram(TelegramUserId{1}),
                              account("11-22-33-44-55-66-77"), card("2223"))
                .error()
                .code,
            ErrorCode::kNotAdmin);
  const auto same = clients().move_account(admin(), account("11-22-33-44-55-66-77"), card("2223"));
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->moved);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
  EXPECT_EQ(store_.snapshot().audit, before.audit);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
}

// /new_code: the lost code stops working, the new one is sent to its holder and works.
TEST_F(ClientServiceTest, ANewCodeReplacesTheOldOneAndIsSentToItsHolder) {
  const VerificationCode old_code = *anna_.verification_code;
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {store_.snapshot().accounts.begin()->second});
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  const auto renewed = clients().new_code(admin(), card("2223"));
  ASSERT_TRUE(renewed);
  ASSERT_TRUE(renewed->verification_code);
  EXPECT_NE(*renewed->verification_code, old_code);
  const Notification sent = outbox_of(ChatId{1}).back();
  EXPECT_EQ(sent.kind, NotificationKind::kCodeRenewed);
  EXPECT_EQ(sent.detail, renewed->verification_code->str());
  EXPECT_EQ(audit_actions().back(), AuditAction::kCodeRenewed);
  EXPECT_EQ(claims().verify_by_code(admin(), old_code, lottery.id, std::nullopt).error().code,
            ErrorCode::kUnknownCode);
  EXPECT_TRUE(
      claims().verify_by_code(admin(), *renewed->verification_code, lottery.id, std::nullopt));
  EXPECT_EQ(clients().new_code(admin(), card("7777")).error().code, ErrorCode::kUnknownUser);
  EXPECT_EQ(clients().new_code(Requester::telegram(TelegramUserId{1}), card("2223")).error().code,
            ErrorCode::kNotAdmin);
}

}  // namespace
}  // namespace lottery::testing
