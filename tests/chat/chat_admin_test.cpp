// The admins' conversations: verifying, results posts, accounts added one by one and
// in bulk.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "chat_test_fixture.hpp"
#include "fakes/fixed_offset_zone.hpp"
#include "fakes/recording_sms_gateway.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/registration_service.hpp"

namespace lottery::chat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ChatTest, AnAdminVerifiesByCode) {
  anna_wins();
  const std::string reply = reply_to(kAdmin, "/verify_winner " + code_of(kAnna) + " 1");
  EXPECT_THAT(reply, HasSubstr("Выигрыш подтвержден"));
  EXPECT_THAT(reply_to(kAdmin, "/winner_status 1"), HasSubstr("✅ Подтвержден"));
}

TEST_F(ChatTest, TheResultsArePostedAndARedrawEditsThePost) {
  register_client(kAnna, "2223");
  say(kAdmin, "/new_lottery Лето");
  say(kAdmin, "1 Велосипед");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  say(kAdmin, "/enroll 1 11-22-33-44-55-66-77");
  const auto drawn = say(kAdmin, "/draw 1");
  const auto post = std::find_if(drawn.begin(), drawn.end(),
                                 [](const auto& message) { return message.chat == kAnnounce; });
  ASSERT_NE(post, drawn.end());
  EXPECT_THAT(post->html, HasSubstr("Итоги розыгрыша «Лето»"));
  EXPECT_THAT(post->html, HasSubstr("1 место — Велосипед: Анна"));
  EXPECT_FALSE(post->edit_message_id);

  say(kAdmin, "/add_accounts");
  say(kAdmin, "99-99-99-99-99-99-99");
  clock_.advance(std::chrono::hours{25});
  const auto redrawn = say(kAdmin, "/redraw 1");
  const auto edit = std::find_if(redrawn.begin(), redrawn.end(),
                                 [](const auto& message) { return message.chat == kAnnounce; });
  ASSERT_NE(edit, redrawn.end());
  EXPECT_TRUE(edit->edit_message_id.has_value());
}

TEST_F(ChatTest, AnOwnerlessWinnerIsAnnouncedByAccountNumber) {
  say(kAdmin, "/new_lottery Осень");
  say(kAdmin, "1 Чайник");
  say(kAdmin, "/add_accounts");
  say(kAdmin, "11-22-33-44-55-66-77");
  const auto answer = press(kAdmin, "add_accounts:1");
  EXPECT_EQ(answer.text, "Готово");
  ASSERT_FALSE(last_press_messages_.empty());
  EXPECT_THAT(last_press_messages_[0].html, HasSubstr("без владельца 1"));
  const auto drawn = say(kAdmin, "/draw 1");
  const auto post = std::find_if(drawn.begin(), drawn.end(),
                                 [](const auto& message) { return message.chat == kAnnounce; });
  ASSERT_NE(post, drawn.end());
  EXPECT_THAT(post->html, HasSubstr("Счет 11-22-33-44-55-66-77 выиграл!"));
}

TEST_F(ChatTest, BulkAddingReportsLineNumbers) {
  register_client(kAnna, "2223");
  say(kAdmin, "/add_accounts");
  const auto choose = say(kAdmin, "2223 11-22-33-44-55-66-77\nмусор\n33-44-55-66-77-88-99");
  ASSERT_EQ(choose.size(), 1U);
  ASSERT_EQ(choose[0].markup.kind, Markup::Kind::kInline);
  EXPECT_EQ(choose[0].markup.inline_rows.back().at(0).data, "add_accounts:none");
  press(kAdmin, "add_accounts:none");
  // The admin's report (a reply, sent first) and Anna's notice of her new account.
  std::string report;
  for (const auto& message : last_press_messages_) {
    if (message.chat == private_chat_of(TelegramUserId{kAdmin})) report = message.html;
  }
  EXPECT_THAT(report, HasSubstr("добавлено 1, без владельца 1"));
  EXPECT_THAT(report, HasSubstr("Строка 2 («мусор»)"));
  EXPECT_THAT(press(kAdmin, "add_accounts:none").text, HasSubstr("уже обработан"));
}

TEST_F(ChatTest, AnImportTellsAClientOfAllTheirNewAccountsInOneMessage) {
  register_client(kAnna, "2223");
  std::vector<ImportLine> lines;
  for (const char* number : {"11-22-33-44-55-66-77", "22-33-44-55-66-77-88"}) {
    lines.push_back(
        ImportLine{lines.size() + 1, std::string("2223,") + number,
                   AccountImportRow{*AccountNumber::parse(number), *ClubCard::parse("2223")}});
  }
  AccountService accounts(Dependencies{store_, clock_, random_, draw_randomness_, settings_});
  ASSERT_TRUE(accounts.import_accounts(Requester::system(), lines, std::nullopt));
  const auto messages = deliver();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].chat, private_chat_of(TelegramUserId{kAnna}));
  EXPECT_EQ(messages[0].html,
            "✅ К вашему профилю добавлены счета (2):\n11-22-33-44-55-66-77\n"
            "22-33-44-55-66-77-88");

  // Twenty numbers are listed; the rest are counted.
  lines.clear();
  for (int n = 10; n < 32; ++n) {
    const std::string number = "33-44-55-66-77-88-" + std::to_string(n);
    lines.push_back(
        ImportLine{lines.size() + 1, "2223," + number,
                   AccountImportRow{*AccountNumber::parse(number), *ClubCard::parse("2223")}});
  }
  ASSERT_TRUE(accounts.import_accounts(Requester::system(), lines, std::nullopt));
  const auto many = deliver();
  ASSERT_EQ(many.size(), 1U);
  EXPECT_THAT(many[0].html, HasSubstr("добавлены счета (22):\n33-44-55-66-77-88-10\n"));
  EXPECT_THAT(many[0].html, HasSubstr("\n33-44-55-66-77-88-29\n… и ещё 2"));
}

// Scenario 2 of the club's notes when the owner is found late: the ownerless win
// expires, /extend_claim says nobody could be told, the owner registers and the account
// is linked: they hear the win expired and whom to contact; the next /extend_claim
// reaches them and their button confirms the win.
TEST_F(ChatTest, AWinFoundByItsOwnerAfterExpiryIsToldAndCanBeRenewed) {
  say(kAdmin, "/new_lottery Лето");
  say(kAdmin, "1 Велосипед");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  say(kAdmin, "/enroll 1 11-22-33-44-55-66-77");
  say(kAdmin, "/draw 1");
  const Dependencies deps{store_, clock_, random_, draw_randomness_, settings_};
  clock_.advance(std::chrono::hours{25});
  ASSERT_EQ(ClaimService(deps).expire_due()->size(), 1U);
  EXPECT_THAT(reply_to(kAdmin, "/extend_claim 1 2"), HasSubstr("Уведомить некого"));
  clock_.advance(std::chrono::hours{3});
  ASSERT_EQ(ClaimService(deps).expire_due()->size(), 1U);

  register_client(kAnna, "2223");
  const auto linked = say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  std::string to_anna;
  for (const auto& message : linked) {
    if (message.chat == private_chat_of(TelegramUserId{kAnna})) to_anna += message.html;
  }
  EXPECT_THAT(to_anna, HasSubstr("который теперь привязан к вам"));
  EXPECT_THAT(to_anna, HasSubstr("@club_admin"));

  const auto extended = say(kAdmin, "/extend_claim 1");
  std::string extension_to_anna;
  std::string answer_to_admin;
  for (const auto& message : extended) {
    if (message.chat == private_chat_of(TelegramUserId{kAnna})) {
      extension_to_anna += message.html;
    }
    if (message.chat == private_chat_of(TelegramUserId{kAdmin})) answer_to_admin += message.html;
  }
  EXPECT_THAT(answer_to_admin, HasSubstr("Победитель получил уведомление"));
  EXPECT_THAT(extension_to_anna, HasSubstr("продлён"));
  EXPECT_THAT(press(kAnna, "confirm_win_1").text, HasSubstr("Выигрыш подтвержден"));
}

// The admins' tools for clients, as an admin types them.
TEST_F(ChatTest, AnAdminFindsMovesAndRenewsAClientsCode) {
  anna_wins();
  register_client(kBoris, "4445");
  const std::string card = reply_to(kAdmin, "/find @user1");
  EXPECT_THAT(card, HasSubstr("👤 Анна (@user1), id 1, карта 2223"));
  EXPECT_THAT(card, HasSubstr("• 11-22-33-44-55-66-77"));
  EXPECT_THAT(card, HasSubstr("1 место — iPhone 15"));
  EXPECT_THAT(reply_to(kAdmin, "/list_accounts 2223"), HasSubstr("• 11-22-33-44-55-66-77"));
  EXPECT_THAT(reply_to(kAdmin, "/find <b>x</b>"), HasSubstr("«&lt;b&gt;x&lt;/b&gt;» не найден"));
  EXPECT_THAT(reply_to(kAnna, "/find 2223"), HasSubstr("Неизвестная команда"));

  const std::string old_code = code_of(kAnna);
  const auto renewed = say(kAdmin, "/new_code 2223");
  std::string to_anna;
  for (const auto& message : renewed) {
    if (message.chat == private_chat_of(TelegramUserId{kAnna})) to_anna += message.html;
  }
  EXPECT_THAT(to_anna, HasSubstr("новый код верификации: <code>" + code_of(kAnna) + "</code>"));
  EXPECT_NE(code_of(kAnna), old_code);

  const auto moved = say(kAdmin, "/move_account 11-22-33-44-55-66-77 4445");
  std::string to_admin;
  std::string to_boris;
  for (const auto& message : moved) {
    if (message.chat == private_chat_of(TelegramUserId{kAdmin})) to_admin += message.html;
    if (message.chat == private_chat_of(TelegramUserId{kBoris})) to_boris += message.html;
  }
  EXPECT_THAT(to_admin, HasSubstr("передан клиенту Борис (@user2), id 2, карта 4445"));
  EXPECT_THAT(to_admin, HasSubstr("переданы вместе с ним: 1"));
  EXPECT_THAT(to_boris, HasSubstr("ПОЗДРАВЛЯЕМ"));
  EXPECT_THAT(press(kBoris, "confirm_win_1").text, HasSubstr("Выигрыш подтвержден"));
}

// R-TIME-1: a deadline is shown in the club's zone, with the zone's name.
TEST_F(ChatTest, TimesAreShownInTheClubsZone) {
  const testing::FixedOffsetZone moscow(3, "MSK");
  bot_ =
      std::make_unique<ChatBot>(Dependencies{store_, clock_, random_, draw_randomness_, settings_},
                                store_, ChatSettings{"club_lottery_bot", "@club_admin", &moscow});
  // Drawn at 10:00 UTC on 1 January (the fake clock's start): the deadline is 2 January,
  // 13:00 in Moscow.
  const OutgoingMessage won = anna_wins();
  EXPECT_THAT(won.html, HasSubstr("Срок подтверждения: до 02.01.2026 13:00 MSK"));
  EXPECT_THAT(won.html, Not(HasSubstr("UTC")));
  EXPECT_THAT(reply_to(kBoris, "/lottery_info 1"), HasSubstr("проведён 01.01.2026 13:00 MSK"));
}

// R-2FA-1 as the winner meets it: the button sends a code by SMS, the next message is
// the code; a wrong one says how many tries are left, the right one confirms.
TEST_F(ChatTest, WithAnSmsGatewayTheButtonAsksForTheCodeSentByText) {
  testing::RecordingSmsGateway gateway;
  Dependencies with_sms{store_, clock_, random_, draw_randomness_, settings_};
  with_sms.sms = &gateway;
  bot_ =
      std::make_unique<ChatBot>(with_sms, store_, ChatSettings{"club_lottery_bot", "@club_admin"});
  say(kAnna, "/start");
  say(kAnna, "2223");
  say(kAnna, "+7 900 111-22-33");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  say(kAdmin, "/new_lottery Лето");
  say(kAdmin, "1 Велосипед");
  say(kAdmin, "/enroll 1 all");
  say(kAdmin, "/draw 1");

  const ButtonAnswer popup = press(kAnna, "confirm_win_1", 501);
  EXPECT_EQ(popup.text, "Код отправлен в СМС на +7 *** ***-**-33");
  ASSERT_EQ(gateway.sent.size(), 1U);
  std::string asked;
  for (const auto& message : last_press_messages_) asked += message.html;
  EXPECT_THAT(asked, HasSubstr("отправьте сюда код из СМС"));
  const std::string code = gateway.sent[0].second;
  const std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_THAT(reply_to(kAnna, wrong), HasSubstr("Неверный код. Осталось попыток: 4."));
  const auto confirmed = say(kAnna, code);
  std::string to_anna;
  bool edited = false;
  for (const auto& message : confirmed) {
    if (message.chat == private_chat_of(TelegramUserId{kAnna})) to_anna += message.html;
    edited = edited || message.edit_message_id == 501;
  }
  EXPECT_THAT(to_anna, HasSubstr("✅ Выигрыш подтвержден!"));
  EXPECT_TRUE(edited);  // the winner message loses its button, as after a plain press
  EXPECT_THAT(reply_to(kAdmin, "/winner_status 1"), HasSubstr("✅ Подтвержден"));
  EXPECT_THAT(reply_to(kAnna, code), HasSubstr("Не понимаю"));  // the dialogue is over
}

// Without a phone on the card the winner is sent to the admin.
TEST_F(ChatTest, WithAnSmsGatewayAWinnerWithoutAPhoneIsSentToTheAdmin) {
  testing::RecordingSmsGateway gateway;
  Dependencies with_sms{store_, clock_, random_, draw_randomness_, settings_};
  with_sms.sms = &gateway;
  bot_ =
      std::make_unique<ChatBot>(with_sms, store_, ChatSettings{"club_lottery_bot", "@club_admin"});
  anna_wins();
  const ButtonAnswer popup = press(kAnna, "confirm_win_1");
  EXPECT_THAT(popup.text, HasSubstr("нет телефона"));
  EXPECT_THAT(popup.text, HasSubstr("@club_admin"));
  EXPECT_TRUE(gateway.sent.empty());
}

// Every command example in a code block of docs/ADMIN_COMMANDS.md, typed by an admin,
// is understood: neither unknown nor answered with its usage.
TEST_F(ChatTest, EveryCommandExampleOfTheAdminDocsWorksAsWritten) {
  const Dependencies deps{store_, clock_, random_, draw_randomness_, settings_};
  ASSERT_TRUE(RegistrationService(deps).register_user(
      RegistrationRequest{TelegramUserId{kAnna}, "anna_k", "Анна", ClubCard::parse("2223").value(),
                          Phone::parse("+79001112233").value()}));
  register_client(kBoris, "4445");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  std::ifstream docs(std::string(LOTTERY_SOURCE_DIR) + "/docs/ADMIN_COMMANDS.md");
  ASSERT_TRUE(docs);
  std::size_t examples = 0;
  for (std::string line; std::getline(docs, line);) {
    if (line.rfind("    /", 0) != 0) continue;
    ++examples;
    const std::string reply = reply_to(kAdmin, line.substr(4));
    EXPECT_THAT(reply, Not(HasSubstr("Неизвестная команда"))) << line;
    EXPECT_THAT(reply, Not(HasSubstr("Использование"))) << line;
    EXPECT_THAT(reply, Not(HasSubstr("не найден"))) << line;
  }
  EXPECT_GE(examples, 3U);
}

}  // namespace
}  // namespace lottery::chat
