#include <gtest/gtest.h>

#include "core_fixture.hpp"
#include "lottery/core/client_service.hpp"

namespace lottery::testing {
namespace {

class AccountServiceTest : public CoreTest {};

TEST_F(AccountServiceTest, AddsAnAccountToTheCardHolderAndTellsThem) {
  const User user = register_user(1, "2223");
  const auto outcome = accounts().add_account(admin(), card("2223"), account("11223344556677"));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, AddAccountResult::kAdded);
  EXPECT_EQ(outcome->account.owner, user.id);
  EXPECT_TRUE(outcome->account.is_active);
  EXPECT_EQ(outcome->account.number.str(), "11-22-33-44-55-66-77");

  const auto messages = outbox_of(ChatId{1});
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].kind, NotificationKind::kAccountAdded);
  EXPECT_EQ(messages[0].account, account("11-22-33-44-55-66-77"));
  EXPECT_EQ(audit_actions().back(), AuditAction::kAccountAdded);
}

TEST_F(AccountServiceTest, AnUnknownCardOrNoCardGivesAnOwnerlessAccount) {
  const auto unknown = accounts().add_account(admin(), card("9999"), account("11223344556677"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->result, AddAccountResult::kAddedWithoutOwner);
  EXPECT_FALSE(unknown->account.owner);
  const auto bare = accounts().add_account(admin(), std::nullopt, account("22334455667788"));
  EXPECT_EQ(bare->result, AddAccountResult::kAddedWithoutOwner);
  EXPECT_TRUE(store_.snapshot().outbox.empty());
}

TEST_F(AccountServiceTest, AddingTwiceChangesNothing) {
  register_user(1, "2223");
  add_account("2223", "11223344556677");
  const auto before = store_.snapshot();
  const auto again = accounts().add_account(admin(), card("2223"), account("11-22-33-44-55-66-77"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result, AddAccountResult::kAlreadyThere);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
}

TEST_F(AccountServiceTest, RefusesAnAccountOfAnotherCard) {
  register_user(1, "2223");
  register_user(2, "4445");
  add_account("2223", "11223344556677");
  const auto before = store_.snapshot();
  const auto taken = accounts().add_account(admin(), card("4445"), account("11223344556677"));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAccountOwnedByAnother);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
}

TEST_F(AccountServiceTest, NonAdminsAreRefusedAndNothingChanges) {
  register_user(1, "2223");
  const auto before = store_.snapshot();
  const auto as_client = Requester::telegram(TelegramUserId{1});
  EXPECT_EQ(accounts().add_account(as_client, card("2223"), account("11223344556677")).error().code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(accounts().add_accounts(as_client, "11223344556677", std::nullopt).error().code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(accounts().deactivate_account(as_client, account("11223344556677")).error().code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(ClientService(deps()).find(as_client, "1").error().code, ErrorCode::kNotAdmin);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
  EXPECT_EQ(store_.snapshot().audit, before.audit);
}

TEST_F(AccountServiceTest, TheOperatorConsoleActsAsAnAdmin) {
  EXPECT_TRUE(accounts().add_account(Requester::system(), std::nullopt, account("11223344556677")));
}

TEST_F(AccountServiceTest, DeactivatesAndReactivates) {
  register_user(1, "2223");
  add_account("2223", "11223344556677");
  const auto off = accounts().deactivate_account(admin(), account("11223344556677"));
  ASSERT_TRUE(off);
  EXPECT_FALSE(off->is_active);
  EXPECT_EQ(accounts().deactivate_account(admin(), account("11223344556677")).error().code,
            ErrorCode::kAccountInactive);
  EXPECT_EQ(accounts().deactivate_account(admin(), account("99999999999999")).error().code,
            ErrorCode::kUnknownAccount);
  const auto back = accounts().add_account(admin(), card("2223"), account("11223344556677"));
  EXPECT_EQ(back->result, AddAccountResult::kReactivated);
  EXPECT_TRUE(back->account.is_active);
}

TEST_F(AccountServiceTest, ListsAUsersAccounts) {
  register_user(1, "2223");
  add_account("2223", "22222222222222");
  add_account("2223", "11111111111111");
  const auto listed = ClientService(deps()).find(admin(), "2223");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  ASSERT_EQ(listed->at(0).accounts.size(), 2U);
  EXPECT_EQ(listed->at(0).accounts[0].number.str(), "11-11-11-11-11-11-11");
  EXPECT_EQ(ClientService(deps()).find(admin(), "404").error().code, ErrorCode::kNoClient);
}

TEST_F(AccountServiceTest, BulkAddCountsEachOutcomeWithLineNumbers) {
  register_user(1, "2223");
  register_user(2, "4445");
  add_account("4445", "99-99-99-99-99-99-99");
  const Lottery lottery = create_lottery(1);
  const std::string lines =
      "2223 11-22-33-44-55-66-77\n"     // 1 added
      "\n"                              // 2 blank
      "22 33 44 55 66 77 88\n"          // 3 bare: ownerless
      "2223 11223344556677\n"           // 4 already there
      "2223 12-34\n"                    // 5 bad account
      "abc 11-22-33-44-55-66-00\n"      // 6 bad card
      "2223 99-99-99-99-99-99-99\n"     // 7 another card's account
      "7777 33-33-33-33-33-33-33\r\n";  // 8 unknown card: ownerless
  const auto report = accounts().add_accounts(admin(), lines, lottery.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->added, 1U);
  EXPECT_EQ(report->added_without_owner, 2U);
  EXPECT_EQ(report->already_there, 1U);
  ASSERT_EQ(report->refused.size(), 3U);
  EXPECT_EQ(report->refused[0].line, 5U);
  EXPECT_EQ(report->refused[0].error.code, ErrorCode::kInvalidAccountNumber);
  EXPECT_EQ(report->refused[0].error.detail, "12-34");  // not " 12-34"
  EXPECT_EQ(report->refused[1].line, 6U);
  EXPECT_EQ(report->refused[1].error.code, ErrorCode::kInvalidClubCard);
  EXPECT_EQ(report->refused[2].line, 7U);
  EXPECT_EQ(report->refused[2].error.code, ErrorCode::kAccountOwnedByAnother);
  ASSERT_TRUE(report->enrolment);
  EXPECT_EQ(report->enrolment->added, 3U);  // the accounts of lines 1 (and 4), 3 and 8
  EXPECT_EQ(report->enrolment->total_entries, 3U);
}

TEST_F(AccountServiceTest, BulkAddIntoADrawnLotteryChangesNothing) {
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, make_accounts(2));
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  const auto before = store_.snapshot();
  const auto report = accounts().add_accounts(admin(), "11223344556677", lottery.id);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kLotteryNotOpen);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
}

std::vector<ImportLine> import_lines(
    std::initializer_list<std::pair<std::optional<std::string_view>, std::string_view>> rows) {
  std::vector<ImportLine> lines;
  std::size_t line = 1;
  for (const auto& [holder_card, number] : rows) {
    ++line;  // line 1 is the file's header
    AccountImportRow row{account(number), std::nullopt};
    if (holder_card) row.card = card(*holder_card);
    lines.push_back(ImportLine{line, std::string(number), row});
  }
  return lines;
}

TEST_F(AccountServiceTest, ImportFollowsTheRulesOfAddingAccountsLineByLine) {
  const User holder = register_user(1, "2223");
  const User other = register_user(2, "4445");
  add_account("4445", "99-99-99-99-99-99-99");
  add_account(std::nullopt, "88-88-88-88-88-88-88");
  const Lottery lottery = create_lottery(1);
  const auto lines = import_lines({
      {"2223", "11-22-33-44-55-66-77"},        // 2 added to the holder
      {std::nullopt, "22-33-44-55-66-77-88"},  // 3 ownerless
      {"2223", "11-22-33-44-55-66-77"},        // 4 repeated: already there
      {"2223", "99-99-99-99-99-99-99"},        // 5 another card's account: refused
      {"2223", "88-88-88-88-88-88-88"},        // 6 ownerless on record: linked
      {"7777", "33-33-33-33-33-33-33"},        // 7 nobody holds the card: ownerless
      {std::nullopt, "99-99-99-99-99-99-99"},  // 8 a bare number on record: already there
      {"4445", "22-33-44-55-66-77-88"},        // 9 added ownerless above, now linked
  });
  const auto report = accounts().import_accounts(admin(), lines, lottery.id);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->added, 1U);
  EXPECT_EQ(report->added_without_owner, 2U);
  EXPECT_EQ(report->linked, 2U);
  EXPECT_EQ(report->already_there, 2U);
  ASSERT_EQ(report->refused.size(), 1U);
  EXPECT_EQ(report->refused[0].line, 5U);
  EXPECT_EQ(report->refused[0].error.code, ErrorCode::kAccountOwnedByAnother);

  const auto state = store_.snapshot();
  const auto owner_of = [&](std::string_view number) {
    for (const auto& [id, stored] : state.accounts) {
      if (stored.number == account(number)) return stored.owner;
    }
    ADD_FAILURE() << number;
    return std::optional<UserId>{};
  };
  EXPECT_EQ(owner_of("11-22-33-44-55-66-77"), holder.id);
  EXPECT_EQ(owner_of("88-88-88-88-88-88-88"), holder.id);
  EXPECT_EQ(owner_of("22-33-44-55-66-77-88"), other.id);
  EXPECT_EQ(owner_of("33-33-33-33-33-33-33"), std::nullopt);
  EXPECT_EQ(owner_of("99-99-99-99-99-99-99"), other.id);
  EXPECT_EQ(state.accounts.size(), 5U);

  // The holder hears of the new account and the linked one; the other of the linked one
  // (after the message of the account added before the import).
  ASSERT_EQ(outbox_of(ChatId{1}).size(), 2U);
  EXPECT_EQ(outbox_of(ChatId{1})[0].count, 0);  // one account: the usual message
  EXPECT_EQ(outbox_of(ChatId{2}).size(), 2U);

  // Every account of the file but the refused line's is enrolled, in the file's order.
  ASSERT_TRUE(report->enrolment);
  EXPECT_EQ(report->enrolment->added, 5U);
  EXPECT_EQ(report->enrolment->total_entries, 5U);
  auto transaction = store_.begin();
  const auto entries = transaction->entries().range(lottery.id, 0, 5);
  ASSERT_EQ(entries.size(), 5U);
  EXPECT_EQ(entries[0].number, account("11-22-33-44-55-66-77"));
  EXPECT_EQ(entries[1].number, account("22-33-44-55-66-77-88"));
  EXPECT_EQ(entries[2].number, account("88-88-88-88-88-88-88"));
  EXPECT_EQ(entries[3].number, account("33-33-33-33-33-33-33"));
  EXPECT_EQ(entries[4].number, account("99-99-99-99-99-99-99"));
  // The list's hash covers the enrolled entries, as one by one enrolment would.
  Lottery expected = transaction->lotteries().find(lottery.id).value();
  Digest chained{};
  for (const Entry& entry : entries) {
    chained = draw_randomness_.extend_entries(chained, entry.ordinal, entry.number);
  }
  EXPECT_EQ(expected.entries_hash, chained);
}

TEST_F(AccountServiceTest, AnImportTellsEachClientOnceOfTheAccountsItAdded) {
  register_user(1, "2223");
  register_user(2, "4445");
  const auto lines = import_lines({{"2223", "11-22-33-44-55-66-77"},
                                   {"4445", "22-33-44-55-66-77-88"},
                                   {"2223", "33-44-55-66-77-88-99"},
                                   {"2223", "44-55-66-77-88-99-00"}});
  ASSERT_TRUE(accounts().import_accounts(admin(), lines, std::nullopt));
  const auto first = outbox_of(ChatId{1});
  ASSERT_EQ(first.size(), 1U);
  EXPECT_EQ(first[0].kind, NotificationKind::kAccountAdded);
  EXPECT_EQ(first[0].count, 3);
  EXPECT_EQ(first[0].detail, "11-22-33-44-55-66-77\n33-44-55-66-77-88-99\n44-55-66-77-88-99-00");
  ASSERT_EQ(outbox_of(ChatId{2}).size(), 1U);
  EXPECT_EQ(outbox_of(ChatId{2})[0].account, account("22-33-44-55-66-77-88"));
}

TEST_F(AccountServiceTest, AnImportListsTwentyOfAClientsNewAccountsAndCountsTheRest) {
  register_user(1, "2223");
  std::vector<ImportLine> lines;
  for (int n = 10; n < 35; ++n) {
    const std::string number = "11-22-33-44-55-66-" + std::to_string(n);
    lines.push_back(ImportLine{lines.size() + 2, number, {account(number), card("2223")}});
  }
  ASSERT_TRUE(accounts().import_accounts(admin(), lines, std::nullopt));
  const auto told = outbox_of(ChatId{1});
  ASSERT_EQ(told.size(), 1U);
  EXPECT_EQ(told[0].count, 25);
  EXPECT_EQ(std::count(told[0].detail.begin(), told[0].detail.end(), '\n'), 19);
  EXPECT_TRUE(told[0].detail.starts_with("11-22-33-44-55-66-10\n"));
  EXPECT_TRUE(told[0].detail.ends_with("\n11-22-33-44-55-66-29"));
}

TEST_F(AccountServiceTest, ImportingTheSameFileAgainChangesNothing) {
  register_user(1, "2223");
  const auto lines =
      import_lines({{"2223", "11-22-33-44-55-66-77"}, {std::nullopt, "22-33-44-55-66-77-88"}});
  ASSERT_TRUE(accounts().import_accounts(admin(), lines, std::nullopt));
  const auto before = store_.snapshot();
  const auto again = accounts().import_accounts(admin(), lines, std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->already_there, 2U);
  EXPECT_EQ(again->added + again->added_without_owner + again->linked, 0U);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
  EXPECT_EQ(store_.snapshot().audit.size(), before.audit.size());
}

TEST_F(AccountServiceTest, ImportIsForAdminsAndIntoOpenLotteriesOnly) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, make_accounts(2));
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  const auto before = store_.snapshot();
  const auto lines = import_lines({{std::nullopt, "11-22-33-44-55-66-77"}});
  EXPECT_EQ(accounts()
                .import_accounts(Requester::telegram(TelegramUserId{1}), lines, std::nullopt)
                .error()
                .code,
            ErrorCode::kNotAdmin);
  EXPECT_EQ(accounts().import_accounts(admin(), lines, lottery.id).error().code,
            ErrorCode::kLotteryNotOpen);
  EXPECT_EQ(store_.snapshot().accounts, before.accounts);
}

// R-UNOWNED-1: an ownerless account wins; when an admin links it to its owner while
// the win is pending, the owner gets the normal winner message with the time left.
TEST_F(AccountServiceTest, LinkingAnOwnerlessWinnerHandsTheWinToTheOwner) {
  settings_.announce_chat = kAnnounceChat;
  const Lottery lottery = create_lottery(1);
  const Account ownerless = add_account(std::nullopt, "11-22-33-44-55-66-77");
  enrol(lottery.id, {ownerless});
  const auto drawn = lotteries().draw(admin(), lottery.id).value();
  ASSERT_EQ(drawn.winners.size(), 1U);
  EXPECT_FALSE(drawn.winners[0].user);
  EXPECT_EQ(outbox_of_kind(NotificationKind::kResultsPublished).size(), 1U);

  clock_.advance(std::chrono::hours{5});
  const User owner = register_user(1, "2223");
  const auto linked = accounts().add_account(admin(), card("2223"), ownerless.number);
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->result, AddAccountResult::kLinked);
  EXPECT_EQ(linked->account.owner, owner.id);
  ASSERT_EQ(linked->linked_wins.size(), 1U);
  EXPECT_EQ(linked->linked_wins[0].user, owner.id);

  const auto messages = outbox_of(ChatId{1});
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].kind, NotificationKind::kAccountAdded);
  EXPECT_EQ(messages[1].kind, NotificationKind::kWinnerDrawn);
  EXPECT_EQ(messages[1].deadline, FakeClock::kStart + std::chrono::hours{24});
  EXPECT_EQ(store_.snapshot().winners.begin()->second.user, owner.id);

  // Now the owner's button works.
  EXPECT_TRUE(claims().confirm_by_button(TelegramUserId{1}, drawn.winners[0].id));
}

// Scenario 2 of the club's notes, the other order: the win expires (the expiry job ran)
// before its owner is found. Linking tells the owner it expired and whom to contact;
// /extend_claim then renews it with a new token and tells them; the owner's code and
// button both work, as the account is theirs now (R-OWNER-1).
TEST_F(AccountServiceTest, LinkingAfterExpiryTellsTheOwnerAndAnExtensionReachesThem) {
  const Lottery lottery = create_lottery(1);
  const Account ownerless = add_account(std::nullopt, "11-22-33-44-55-66-77");
  enrol(lottery.id, {ownerless});
  const Winner win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  const std::string first_token = store_.snapshot().verifications.at(win.id.value()).token;
  clock_.advance(std::chrono::hours{25});
  ASSERT_EQ(claims().expire_due()->size(), 1U);
  // Nobody to tell yet: an extension says so by leaving the win without a user.
  const auto unowned = claims().extend_claim(admin(), win.id, std::chrono::hours{2});
  ASSERT_TRUE(unowned);
  EXPECT_FALSE(unowned->user);
  clock_.advance(std::chrono::hours{3});
  ASSERT_EQ(claims().expire_due()->size(), 1U);

  const User owner = register_user(1, "2223");
  const auto linked = accounts().add_account(admin(), card("2223"), ownerless.number);
  ASSERT_TRUE(linked);
  ASSERT_EQ(linked->linked_wins.size(), 1U);
  EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).user, owner.id);
  auto messages = outbox_of(ChatId{1});
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].kind, NotificationKind::kAccountAdded);
  EXPECT_EQ(messages[1].kind, NotificationKind::kWinExpired);
  EXPECT_EQ(messages[1].detail, kHandedOverDetail);
  EXPECT_EQ(messages[1].winner, win.id);

  const auto extended = claims().extend_claim(admin(), win.id, std::nullopt);
  ASSERT_TRUE(extended);
  EXPECT_EQ(extended->user, owner.id);
  const WinnerVerification renewed = store_.snapshot().verifications.at(win.id.value());
  EXPECT_NE(renewed.token, first_token);
  EXPECT_EQ(renewed.expires_at, clock_.now() + std::chrono::hours{24});
  messages = outbox_of(ChatId{1});
  EXPECT_EQ(messages.back().kind, NotificationKind::kClaimExtended);

  const auto verified =
      claims().verify_by_code(admin(), *owner.verification_code, lottery.id, std::nullopt);
  ASSERT_TRUE(verified) << to_string(verified.error().code);
  ASSERT_TRUE(verified->confirmed);
  EXPECT_EQ(verified->confirmed->id, win.id);
}

// The owner's code confirms a win of an account linked after the draw even when nothing
// recorded the owner on the win yet, exactly as the owner's button would (R-OWNER-1).
TEST_F(AccountServiceTest, TheCodeAndTheButtonAgreeOnWhoOwnsAWin) {
  const Lottery lottery = create_lottery(1);
  const Account ownerless = add_account(std::nullopt, "11-22-33-44-55-66-77");
  enrol(lottery.id, {ownerless});
  const Winner win = lotteries().draw(admin(), lottery.id).value().winners.at(0);
  const User owner = register_user(1, "2223");
  const User stranger = register_user(2, "4445");
  ASSERT_TRUE(accounts().add_account(admin(), card("2223"), ownerless.number));
  EXPECT_EQ(claims()
                .verify_by_code(admin(), *stranger.verification_code, lottery.id, std::nullopt)
                .error()
                .code,
            ErrorCode::kNoPendingWin);
  EXPECT_EQ(claims().confirm_by_button(TelegramUserId{2}, win.id).error().code,
            ErrorCode::kNotYourWin);
  const auto verified =
      claims().verify_by_code(admin(), *owner.verification_code, lottery.id, std::nullopt);
  ASSERT_TRUE(verified);
  EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).status, WinStatus::kClaimed);
  EXPECT_EQ(store_.snapshot().winners.at(win.id.value()).user, owner.id);
}

// A reminder for an ownerless win reaches nobody, so the audit does not say it did.
TEST_F(AccountServiceTest, NoReminderIsAuditedForAnOwnerlessWin) {
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account(std::nullopt, "11-22-33-44-55-66-77")});
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  clock_.advance(std::chrono::hours{19});
  ASSERT_TRUE(claims().send_reminders());
  const auto actions = audit_actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), AuditAction::kWinReminded), 0);
  EXPECT_TRUE(outbox_of_kind(NotificationKind::kClaimReminder).empty());
}

}  // namespace
}  // namespace lottery::testing
