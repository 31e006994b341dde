// The conversations through ChatBot::handle: registration, commands, buttons, the texts,
// and what no input may do.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chat_test_fixture.hpp"
#include "mocks/mock_ports.hpp"

namespace lottery::chat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ChatTest, RegistersAClientStepByStep) {
  EXPECT_THAT(reply_to(kAnna, "/start"), HasSubstr("введите номер вашей клубной карты"));
  EXPECT_THAT(reply_to(kAnna, "22x3"), HasSubstr("от 1 до 20 цифр"));
  const auto phone_step = say(kAnna, "2223");
  ASSERT_EQ(phone_step.size(), 1U);
  EXPECT_THAT(phone_step[0].html, HasSubstr("Поделитесь номером телефона"));
  ASSERT_EQ(phone_step[0].markup.kind, Markup::Kind::kKeyboard);
  EXPECT_TRUE(phone_step[0].markup.keyboard_rows[0][0].request_contact);
  EXPECT_EQ(phone_step[0].markup.keyboard_rows[1][0].text, "Пропустить");

  // Someone else's contact is not accepted.
  const auto foreign = say(kAnna, "", SharedContact{"+79990000000", TelegramUserId{kBoris}});
  EXPECT_THAT(foreign.at(0).html, HasSubstr("свой собственный номер"));

  const auto done = say(kAnna, "", SharedContact{"79123456789", TelegramUserId{kAnna}});
  ASSERT_EQ(done.size(), 1U);
  EXPECT_THAT(done[0].html, HasSubstr("Ваш код верификации: <code>" + code_of(kAnna) + "</code>"));
  EXPECT_THAT(done[0].html, HasSubstr("Сохраните его!"));
  EXPECT_EQ(done[0].markup.kind, Markup::Kind::kRemoveKeyboard);

  const std::string profile = reply_to(kAnna, "/my_account");
  EXPECT_THAT(profile, HasSubstr("Клубная карта: 2223"));
  EXPECT_THAT(profile, HasSubstr("+79123456789"));
  EXPECT_THAT(profile, HasSubstr(code_of(kAnna)));
  EXPECT_THAT(reply_to(kAnna, "/start"), HasSubstr("С возвращением, Анна"));
}

// The update is the one unit tried again after a conflict: a use case inside it leaves
// the conflict to it instead of retrying its own part (which would make 3 x 3 tries).
TEST_F(ChatTest, AConflictInsideAUseCaseRetriesTheWholeUpdateOnly) {
  register_client(kAnna, "2223");
  ::testing::NiceMock<testing::MockUpdateTransactionManager> updates;
  int nested_units = 0;
  EXPECT_CALL(updates, begin_update()).Times(kConflictAttempts).WillRepeatedly([&] {
    auto update = std::make_unique<::testing::NiceMock<testing::MockUpdateTransaction>>(
        store_.begin_update());
    ON_CALL(*update, nested()).WillByDefault([&]() -> std::unique_ptr<Transaction> {
      ++nested_units;
      throw StorageError(StorageError::Kind::kConflict, "serialization failure");
    });
    return update;
  });
  const auto outcome = handle_through(updates, kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kConflict);
  EXPECT_EQ(nested_units, kConflictAttempts);
}

// A client's question is answered from the update's own transaction: a query opens no
// savepoint (two statements fewer per update).
TEST_F(ChatTest, AQueryInsideAnUpdateOpensNoSavepoint) {
  register_client(kAnna, "2223");
  ::testing::NiceMock<testing::MockUpdateTransactionManager> updates;
  EXPECT_CALL(updates, begin_update()).WillOnce([&] {
    auto update = std::make_unique<::testing::NiceMock<testing::MockUpdateTransaction>>(
        store_.begin_update());
    EXPECT_CALL(*update, nested()).Times(0);
    return update;
  });
  const auto outcome = handle_through(updates, kAnna, "/my_account");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->queued, 1U);
  const auto replies = store_.snapshot().outbox;
  ASSERT_FALSE(replies.empty());
  EXPECT_THAT(replies.back().text, HasSubstr("2223"));
}

// A query inside an update has no savepoint to fall back to, and on PostgreSQL a failed
// statement spoils the update's transaction: a storage failure in it fails the whole
// update (retried or given up as one), and nothing of it is committed.
TEST_F(ChatTest, AStorageFailureInAQueryFailsTheWholeUpdate) {
  register_client(kAnna, "2223");
  ::testing::NiceMock<testing::MockUpdateTransactionManager> updates;
  EXPECT_CALL(updates, begin_update()).WillOnce([&] {
    auto update = std::make_unique<::testing::NiceMock<testing::MockUpdateTransaction>>(
        store_.begin_update());
    ON_CALL(*update, users()).WillByDefault([]() -> UserRepository& {
      throw StorageError(StorageError::Kind::kRejected, "invalid input syntax");
    });
    return update;
  });
  const std::size_t queued_before = store_.snapshot().outbox.size();
  const auto outcome = handle_through(updates, kAnna, "/my_account");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kInvalidArgument);  // rejected: given up
  EXPECT_EQ(store_.snapshot().outbox.size(), queued_before);
  EXPECT_FALSE(store_.snapshot().processed_updates.contains(next_update_ - 1));
}

TEST_F(ChatTest, RegistrationSurvivesARestart) {
  say(kAnna, "/register");
  say(kAnna, "2223");
  bot_ = make_bot();  // a new process on the same database
  EXPECT_THAT(reply_to(kAnna, "+7 912 345-67-89"), HasSubstr("Регистрация завершена"));
}

TEST_F(ChatTest, ACardOfAnotherUserIsRefusedWithTheAdminsContact) {
  register_client(kAnna, "2223");
  say(kBoris, "/start");
  const std::string refusal = reply_to(kBoris, "2223");
  EXPECT_THAT(refusal, HasSubstr("уже зарегистрирована другим пользователем"));
  EXPECT_THAT(refusal, HasSubstr("@club_admin"));
  EXPECT_THAT(reply_to(kBoris, "5555"), HasSubstr("Не понимаю"));  // the dialogue ended
}

TEST_F(ChatTest, CancelLeavesAnyDialogue) {
  say(kAnna, "/start");
  EXPECT_THAT(reply_to(kAnna, "/cancel"), HasSubstr("Действие отменено"));
  EXPECT_THAT(reply_to(kAnna, "2223"), HasSubstr("Не понимаю"));
  EXPECT_THAT(reply_to(kAnna, "/cancel"), HasSubstr("Нечего отменять"));
}

TEST_F(ChatTest, AdminCommandsAreInvisibleToClientsAndChangeNothing) {
  register_client(kAnna, "2223");
  const auto before = store_.snapshot();
  const auto clients = ChatBot::client_commands();
  for (const auto& command : ChatBot::admin_commands()) {
    if (std::any_of(clients.begin(), clients.end(),
                    [&](const auto& client) { return client.name == command.name; })) {
      continue;
    }
    EXPECT_THAT(reply_to(kAnna, "/" + command.name + " 1 2 3"), HasSubstr("Неизвестная команда"))
        << command.name;
  }
  const auto after = store_.snapshot();
  EXPECT_EQ(after.lotteries, before.lotteries);
  EXPECT_EQ(after.accounts, before.accounts);
  EXPECT_EQ(after.audit, before.audit);
  EXPECT_EQ(after.dialogues, before.dialogues);
  EXPECT_THAT(reply_to(kAnna, "/help"), Not(HasSubstr("/draw")));
  EXPECT_THAT(reply_to(kAdmin, "/help"), HasSubstr("/draw"));
}

TEST_F(ChatTest, MalformedArgumentsGetAOneLineUsage) {
  for (const std::string command :
       {"/draw", "/draw abc", "/draw -1", "/enroll 1", "/add_account 2223", "/winner_status",
        "/extend_claim x", "/prize_given 1 2", "/verify_winner AB23CD45", "/list_accounts",
        "/new_lottery", "/find", "/move_account 11-22-33-44-55-66-77", "/new_code",
        "/new_code 2223 4445"}) {
    const std::string reply = reply_to(kAdmin, command);
    EXPECT_THAT(reply, HasSubstr("Использование: /")) << command;
    EXPECT_EQ(std::count(reply.begin(), reply.end(), '\n'), 1) << command;
  }
  EXPECT_THAT(reply_to(kAdmin, "/add_account 2223 12-34"), HasSubstr("XX-XX-XX-XX-XX-XX-XX"));
  EXPECT_THAT(reply_to(kAdmin, "/draw 99"), HasSubstr("Розыгрыш #99 не найден"));
}

TEST_F(ChatTest, ExportSendsTheWinnersAsACsvDocument) {
  EXPECT_THAT(reply_to(kAdmin, "/export"), HasSubstr("Использование: /export ID_РОЗЫГРЫША"));
  EXPECT_THAT(reply_to(kAdmin, "/export 99"), HasSubstr("Розыгрыш #99 не найден"));
  anna_wins();
  const auto sent = say(kAdmin, "/export 1");
  ASSERT_EQ(sent.size(), 1U);
  ASSERT_TRUE(sent[0].document);
  EXPECT_EQ(sent[0].chat, private_chat_of(TelegramUserId{kAdmin}));
  EXPECT_THAT(sent[0].html, HasSubstr("Победители розыгрыша #1 «Новогодний розыгрыш»: 1 строка"));
  EXPECT_EQ(sent[0].document->file_name, "winners-1.csv");
  const std::string& csv = sent[0].document->content;
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFplace,round,prize,account,club_card,status,", 0), 0U);
  EXPECT_THAT(csv, HasSubstr("\r\n1,1,iPhone 15,11-22-33-44-55-66-77,2223,pending,,,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
  EXPECT_THAT(reply_to(kAnna, "/export 1"), HasSubstr("Неизвестная команда"));
}

TEST_F(ChatTest, TheFullCycleOfTheClubsNotes) {
  const OutgoingMessage win = anna_wins();
  EXPECT_THAT(win.html, HasSubstr("ПОЗДРАВЛЯЕМ!"));
  EXPECT_THAT(win.html, HasSubstr("1 место в розыгрыше «Новогодний розыгрыш»"));
  EXPECT_THAT(win.html, HasSubstr("Приз: iPhone 15"));
  EXPECT_THAT(win.html, HasSubstr("11-22-33-44-55-66-77"));
  EXPECT_THAT(win.html, HasSubstr("@club_admin"));
  EXPECT_THAT(win.html, HasSubstr(code_of(kAnna)));
  EXPECT_THAT(win.html, HasSubstr("осталось 24 ч"));
  ASSERT_EQ(win.markup.kind, Markup::Kind::kInline);
  const std::string data = win.markup.inline_rows.at(0).at(0).data;
  EXPECT_EQ(data.rfind("confirm_win_", 0), 0U);

  // Boris presses Anna's button: refused.
  register_client(kBoris, "4445");
  const auto forged = press(kBoris, data);
  EXPECT_THAT(forged.text, HasSubstr("другому участнику"));
  EXPECT_TRUE(last_press_messages_.empty());

  // Anna confirms; her message is edited and she and the admin are told.
  const auto confirmed = press(kAnna, data, 555);
  EXPECT_THAT(confirmed.text, HasSubstr("Выигрыш подтвержден"));
  bool edited = false;
  bool admin_told = false;
  for (const auto& message : last_press_messages_) {
    if (message.edit_message_id == 555) {
      edited = true;
      EXPECT_THAT(message.html, HasSubstr("Выигрыш подтвержден"));
      EXPECT_EQ(message.markup.kind, Markup::Kind::kNone);
    }
    admin_told = admin_told || (message.chat == private_chat_of(TelegramUserId{kAdmin}) &&
                                message.html.find("подтвержден победителем") != std::string::npos);
  }
  EXPECT_TRUE(edited);
  EXPECT_TRUE(admin_told);
  EXPECT_THAT(press(kAnna, data).text, HasSubstr("уже подтвержден"));
  EXPECT_THAT(reply_to(kAdmin, "/winner_status 1"), HasSubstr("@user1 (КК: 2223"));
}

// Button data the bot never made, or someone else's win: refused, audited, and the
// win stays as it was.
TEST_F(ChatTest, ForgedButtonDataIsRefusedAndAudited) {
  const OutgoingMessage win = anna_wins();
  const std::string own = win.markup.inline_rows.at(0).at(0).data;
  register_client(kBoris, "4445");
  const std::vector<std::pair<std::string, std::string>> forgeries{
      {own, "another user's win"},
      {"confirm_win_abc", "non-numeric"},
      {"confirm_win_" + std::string(200, '9'), "overlong"},
      {"confirm_win_-1", "negative"},
      {"confirm_win_0", "zero"},
      {"confirm_win_999999", "unknown id"},
      {"confirm_win_1 OR 1=1", "SQL"},
      {"confirm_win_", "empty id"},
      {"drop_everything", "unknown kind"},
      {std::string("confirm_win_\x01\xff", 14), "control bytes"},
  };
  for (const auto& [data, what] : forgeries) {
    const auto before = store_.snapshot();
    const auto answer = press(kBoris, data);
    EXPECT_TRUE(answer.text.find("другому участнику") != std::string::npos ||
                answer.text.find("не действует") != std::string::npos ||
                answer.text.find("не найден") != std::string::npos)
        << what << ": " << answer.text;
    EXPECT_TRUE(last_press_messages_.empty()) << what;
    const auto after = store_.snapshot();
    EXPECT_EQ(after.winners, before.winners) << what;
    ASSERT_EQ(after.audit.size(), before.audit.size() + 1) << what;
    EXPECT_EQ(after.audit.back().action, AuditAction::kWinConfirmRefused) << what;
    EXPECT_EQ(after.audit.back().actor.telegram_id, TelegramUserId{kBoris}) << what;
    EXPECT_LE(after.audit.back().details.size(), 120U) << what;
  }
  EXPECT_THAT(press(kAnna, own).text, HasSubstr("Выигрыш подтвержден"));
}

// Text that looks like SQL or HTML is kept as typed and shown back escaped.
TEST_F(ChatTest, SqlAndHtmlLookingInputIsStoredAndShownVerbatim) {
  const std::string title = "Robert'); DROP TABLE users;-- <b>x</b> & \"q\"";
  say(kAdmin, "/new_lottery " + title);
  const std::string created = reply_to(kAdmin, "1 <script>alert(1)</script>");
  EXPECT_THAT(created, HasSubstr("создан"));
  const auto state = store_.snapshot();
  ASSERT_EQ(state.lotteries.size(), 1U);
  EXPECT_EQ(state.lotteries.begin()->second.title, title);
  EXPECT_EQ(state.lotteries.begin()->second.prizes.at(0).text, "<script>alert(1)</script>");
  const std::string listed = reply_to(kAdmin, "/lotteries");
  EXPECT_THAT(listed, HasSubstr("Robert'); DROP TABLE users;-- &lt;b&gt;x&lt;/b&gt; &amp;"));
  EXPECT_THAT(listed, Not(HasSubstr("<b>x</b>")));
}

// The commitment is shown when the lottery is created, the seed only after the draw,
// with the entry list's hash and the public value named by the admin.
TEST_F(ChatTest, ADrawPublishesWhatItsCheckNeeds) {
  register_client(kAnna, "2223");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  say(kAdmin, "/new_lottery Проверяемый");
  const std::string created = reply_to(kAdmin, "1 Чайник");
  EXPECT_THAT(created, HasSubstr("Хэш ключа (SHA-256): <code>"));
  EXPECT_THAT(created, Not(HasSubstr("Ключ: ")));
  say(kAdmin, "/enroll 1 all");
  const std::string before = reply_to(kAnna, "/lottery_info 1");
  EXPECT_THAT(before, HasSubstr("Участников: 1"));
  EXPECT_THAT(before, HasSubstr("Ключ будет раскрыт после розыгрыша"));
  const std::string drawn = reply_to(kAdmin, "/draw 1 Русское лото 26.11: 5 17 42");
  EXPECT_THAT(drawn, HasSubstr("Ключ: <code>"));
  EXPECT_THAT(drawn, HasSubstr("Публичное значение: <code>Русское лото 26.11: 5 17 42</code>"));
  const auto lottery = store_.snapshot().lotteries.at(1);
  EXPECT_EQ(lottery.public_value, "Русское лото 26.11: 5 17 42");
  EXPECT_NE(lottery.entries_hash, Digest{});
  const std::string after = reply_to(kAnna, "/lottery_info 1");
  EXPECT_THAT(after, HasSubstr("Ключ: <code>"));
  EXPECT_THAT(reply_to(kAnna, "/lottery_info x"), HasSubstr("Использование: /lottery_info"));
}

TEST_F(ChatTest, ARedeliveredUpdateIsDoneOnce) {
  say(kAnna, "/start");
  IncomingMessage card{private_chat_of(TelegramUserId{kAnna}), true, user(kAnna), 9, "2223", {}};
  ASSERT_TRUE(bot_->handle(500, card));
  const auto before = store_.snapshot();
  const auto again = bot_->handle(500, card);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(store_.snapshot().outbox, before.outbox);
  EXPECT_EQ(store_.snapshot().dialogues, before.dialogues);
}

TEST_F(ChatTest, AFailingStoreCommitsNothingSoTheUpdateCanBeRetried) {
  say(kAnna, "/start");
  const auto before = store_.snapshot();
  store_.set_write_hook([](std::string_view operation) {
    if (operation == "commit") throw StorageError(StorageError::Kind::kUnavailable, "down");
  });
  IncomingMessage card{private_chat_of(TelegramUserId{kAnna}), true, user(kAnna), 9, "2223", {}};
  const auto failed = bot_->handle(600, card);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kStorageUnavailable);
  EXPECT_EQ(store_.snapshot().processed_updates, before.processed_updates);
  EXPECT_EQ(store_.snapshot().dialogues, before.dialogues);
  store_.set_write_hook(nullptr);
  ASSERT_TRUE(bot_->handle(600, card));
  EXPECT_EQ(store_.snapshot().dialogues.begin()->second.step, "phone");
}

TEST_F(ChatTest, CommandsForOtherBotsAndGroupChatterAreIgnored) {
  EXPECT_TRUE(say(kAnna, "/start@other_bot").empty());
  EXPECT_THAT(reply_to(kAnna, "/help@club_lottery_bot"), HasSubstr("/my_account"));
  EXPECT_TRUE(say(kAnna, "/help", {}, false).empty());
  EXPECT_TRUE(say(kAnna, "hello everyone", {}, false).empty());
  const auto pointed = say(kAnna, "/start@club_lottery_bot", {}, false);
  ASSERT_EQ(pointed.size(), 1U);
  EXPECT_THAT(pointed[0].html, HasSubstr("в личных сообщениях"));
}

TEST_F(ChatTest, UserTextIsEscapedAndStoredVerbatim) {
  say(kAdmin, "/new_lottery <b>Розыгрыш</b> & '; DROP TABLE lotteries; --");
  const std::string created = reply_to(kAdmin, "1 <i>Приз</i>");
  EXPECT_THAT(created, HasSubstr("&lt;b&gt;Розыгрыш&lt;/b&gt; &amp; '; DROP TABLE lotteries; --"));
  EXPECT_THAT(created, HasSubstr("&lt;i&gt;Приз&lt;/i&gt;"));
  EXPECT_EQ(store_.snapshot().lotteries.begin()->second.title,
            "<b>Розыгрыш</b> & '; DROP TABLE lotteries; --");
}

TEST_F(ChatTest, LongRepliesAreSplitAtLineEnds) {
  say(kAdmin, "/new_lottery Большой");
  std::string prizes;
  for (int place = 1; place <= 100; ++place) {
    prizes += std::to_string(place) + " " + std::string(150, 'x') + "\n";
  }
  say(kAdmin, prizes);
  for (int i = 0; i < 100; ++i) {
    char number[32];
    std::snprintf(number, sizeof number, "10-00-00-00-00-%02d-%02d", i / 100, i % 100);
    say(kAdmin, std::string("/add_accounts"));
    say(kAdmin, number);
    press(kAdmin, "add_accounts:1");
  }
  say(kAdmin, "/draw 1");
  const auto status = say(kAdmin, "/winner_status 1");
  ASSERT_GT(status.size(), 1U);
  for (const auto& part : status) {
    EXPECT_LE(characters(part.html), 4096U);
    EXPECT_NE(part.html.back(), '\n');
  }
}

// A first name with a line break and a right-to-left override cannot forge a line of
// an admin's view: it is shown as one line, the override gone.
TEST_F(ChatTest, NamesCannotForgeLinesOfAnAdminView) {
  names_[kAnna] = "Анна\n1 место — @boss ✅ Подтвержден\u202Eevil\u2028x";
  register_client(kAnna, "2223");
  say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
  const std::string listed = reply_to(kAdmin, "/list_accounts " + std::to_string(kAnna));
  EXPECT_THAT(listed, HasSubstr("Анна 1 место — @boss ✅ Подтвержденevil x"));
  EXPECT_THAT(listed, Not(HasSubstr("Анна\n")));
  EXPECT_THAT(listed, Not(HasSubstr("\u202E")));
  EXPECT_THAT(listed, Not(HasSubstr("\u2028")));
}

// A mistyped card must not pass unnoticed: the answer says whose card it is.
TEST_F(ChatTest, AddAccountNamesTheCardHolder) {
  register_client(kAnna, "2223");
  EXPECT_THAT(reply_to(kAdmin, "/add_account 02223 11-22-33-44-55-66-77"),
              HasSubstr("добавлен клиенту Анна (@user1), id 1, карта 2223"));
  // Look-alike cards are one card: 02223 cannot be registered beside 2223.
  register_client(kBoris, "002223");
  EXPECT_EQ(store_.snapshot().users.size(), 1U);
}

// Every text an error becomes is Russian: the core's few fixed English words are
// translated, and Telegram's error descriptions are never shown.

TEST(Texts, EveryErrorTextIsRussian) {
  const auto english_in = [](std::string text) {
    // Commands (with their word «all»), @contacts, HTML tags and Telegram's name are
    // meant to be Latin.
    text = std::regex_replace(
        text,
        std::regex("/[a-z_]+( [0-9]*)? all|/[a-z_]+|@[A-Za-z0-9_]+|<[^>]*>|Telegram|AB23CD45|XX"),
        "");
    std::smatch word;
    return std::regex_search(text, word, std::regex("[A-Za-z]{2,}")) ? word.str() : "";
  };
  for (int code = 0; code <= static_cast<int>(ErrorCode::kStorageUnavailable); ++code) {
    for (const std::string detail : {"", "12"}) {
      const std::string shown = text::error(Error{static_cast<ErrorCode>(code), detail}, "@admin");
      EXPECT_EQ(english_in(shown), "") << shown;
    }
  }
  for (const std::string detail : {"count", "place 3", "prize 2", "line 4"}) {
    const std::string shown = text::error(Error{ErrorCode::kInvalidPrizes, detail}, "");
    EXPECT_EQ(english_in(shown), "") << shown;
  }
  for (const std::string detail : {"too many lines", "public value", "anything else"}) {
    const std::string shown = text::error(Error{ErrorCode::kInvalidArgument, detail}, "");
    EXPECT_EQ(english_in(shown), "") << shown;
  }
  for (const std::string reason :
       {"403: Forbidden: bot was blocked by the user", "400: Bad Request: chat not found",
        "404: Not Found", "413: Request Entity Too Large", "0: the call failed"}) {
    EXPECT_EQ(english_in(text::undeliverable_reason(reason)), "") << reason;
  }
}

// One table drives routing, /help, the menus and the usage answers: every command in it
// answers with its own usage, and the menus list exactly its entries.
TEST_F(ChatTest, TheCommandTableDrivesRoutingHelpAndMenus) {
  std::set<std::string_view> names;
  for (const CommandEntry& entry : command_table()) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_EQ(entry.usage.rfind("/" + std::string(entry.name), 0), 0U) << entry.name;
    EXPECT_FALSE(entry.description.empty()) << entry.name;
    EXPECT_EQ(find_command(entry.name), &entry);
  }
  const std::string help = reply_to(kAdmin, "/help");
  std::size_t listed = 0;
  for (const CommandEntry& entry : command_table()) {
    if (!entry.in_menu) continue;
    ++listed;
    EXPECT_THAT(help, HasSubstr("/" + std::string(entry.name) + " — ")) << entry.name;
  }
  EXPECT_EQ(ChatBot::admin_commands().size(), listed);
  EXPECT_LT(ChatBot::client_commands().size(), listed);
  EXPECT_EQ(find_command("nonsense"), nullptr);
  // The notes' client commands are all in the client's menu and /help.
  const std::string client_help = reply_to(kAnna, "/help");
  const auto menu = ChatBot::client_commands();
  for (const char* command : {"/register", "/my_account", "/lottery_info", "/help"}) {
    EXPECT_THAT(client_help, HasSubstr(command));
    EXPECT_TRUE(std::any_of(menu.begin(), menu.end(), [&](const BotCommand& listed_command) {
      return "/" + listed_command.name == command;
    })) << command;
  }
}

TEST(Markup, RoundTripsThroughItsEncoding) {
  Markup inline_markup;
  inline_markup.kind = Markup::Kind::kInline;
  inline_markup.inline_rows = {{{"✅ Да", "yes"}, {"Нет", "no"}}, {{"Потом", "later"}}};
  Markup keyboard;
  keyboard.kind = Markup::Kind::kKeyboard;
  keyboard.keyboard_rows = {{{"📱 Поделиться", true}}, {{"Пропустить", false}}};
  Markup remove;
  remove.kind = Markup::Kind::kRemoveKeyboard;
  for (const Markup& markup : {inline_markup, keyboard, remove, Markup{}}) {
    EXPECT_EQ(decode_markup(encode_markup(markup)), markup);
  }
  EXPECT_FALSE(decode_markup("garbage"));
}

}  // namespace
}  // namespace lottery::chat
