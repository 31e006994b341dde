#include "lottery/telegram/bot_api.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace lottery::telegram {
namespace {

using ::testing::HasSubstr;

TEST(BotApi, ReadsACommandMessageWithItsEntities) {
  const auto updates = parse_updates(R"([{
    "update_id": 900000001,
    "message": {"message_id": 11, "date": 1700000000,
      "from": {"id": 8000000000123, "is_bot": false, "first_name": "Анна", "username": "anna"},
      "chat": {"id": 8000000000123, "type": "private", "first_name": "Анна"},
      "text": "/verify_winner@club_lottery_bot AB23CD45 1",
      "entities": [{"type": "bot_command", "offset": 0, "length": 31}]}}])");
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0].update_id, 900000001);
  const auto& message = std::get<chat::IncomingMessage>(*updates[0].event);
  EXPECT_EQ(message.chat, ChatId{8000000000123});
  EXPECT_TRUE(message.is_private);
  EXPECT_EQ(message.from.id, TelegramUserId{8000000000123});
  EXPECT_EQ(message.from.username, "anna");
  EXPECT_EQ(message.from.first_name, "Анна");
  EXPECT_EQ(message.message_id, 11);
  EXPECT_EQ(message.text, "/verify_winner@club_lottery_bot AB23CD45 1");
}

TEST(BotApi, ReadsButtonPressesAndContacts) {
  const auto updates = parse_updates(R"([
    {"update_id": 5, "callback_query": {"id": "4382bfdwdsb323b2d9", "chat_instance": "1",
      "from": {"id": 7, "is_bot": false, "first_name": "Борис"},
      "message": {"message_id": 77, "date": 1, "chat": {"id": 7, "type": "private"}, "text": "…"},
      "data": "confirm_win_12"}},
    {"update_id": 6, "message": {"message_id": 12, "date": 1,
      "from": {"id": 7, "is_bot": false, "first_name": "Борис"},
      "chat": {"id": 7, "type": "private"},
      "contact": {"phone_number": "79123456789", "first_name": "Борис", "user_id": 7}}}])");
  ASSERT_EQ(updates.size(), 2U);
  const auto& press = std::get<chat::ButtonPress>(*updates[0].event);
  EXPECT_EQ(press.query_id, "4382bfdwdsb323b2d9");
  EXPECT_EQ(press.data, "confirm_win_12");
  EXPECT_EQ(press.chat, ChatId{7});
  EXPECT_EQ(press.message_id, 77);
  const auto& contact = std::get<chat::IncomingMessage>(*updates[1].event);
  ASSERT_TRUE(contact.contact);
  EXPECT_EQ(contact.contact->phone_number, "79123456789");
  EXPECT_EQ(contact.contact->user_id, TelegramUserId{7});
}

TEST(BotApi, IgnoresWhatTheBotDoesNotHandleButKeepsTheirIds) {
  const auto updates = parse_updates(R"([
    {"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"},
      "from": {"id": 1, "is_bot": false, "first_name": "A"}, "text": "/draw 1"}},
    {"update_id": 2, "channel_post": {"message_id": 1, "date": 1, "chat": {"id": -100, "type": "channel"},
      "text": "hello"}},
    {"update_id": 3, "my_chat_member": {}},
    {"update_id": 4, "message": {"message_id": 2, "date": 1, "chat": {"id": 1, "type": "private"},
      "from": {"id": 1, "is_bot": false, "first_name": "A"}, "sticker": {}}},
    {"no_update_id": true}, 42, "text"])");
  ASSERT_EQ(updates.size(), 4U);
  for (const auto& update : updates) EXPECT_FALSE(update.event) << update.update_id;
  EXPECT_TRUE(parse_updates("not json").empty());
  EXPECT_TRUE(parse_updates("{}").empty());
  EXPECT_FALSE(parse_update("[]"));
}

TEST(BotApi, ReadsGroupMessagesAsNotPrivate) {
  const auto update = parse_update(R"({"update_id": 9, "message": {"message_id": 3, "date": 1,
      "chat": {"id": -1001234567890, "type": "supergroup"},
      "from": {"id": 5, "is_bot": false, "first_name": "C"}, "text": "/start@club_lottery_bot"}})");
  ASSERT_TRUE(update && update->event);
  const auto& message = std::get<chat::IncomingMessage>(*update->event);
  EXPECT_FALSE(message.is_private);
  EXPECT_EQ(message.chat, ChatId{-1001234567890});
}

TEST(BotApi, ParsesErrorEnvelopesWithRetryAfter) {
  const auto limited = parse_response(
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})",
      429);
  EXPECT_FALSE(limited.ok);
  EXPECT_EQ(limited.error_code, 429);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds{7});
  const auto conflict = parse_response(
      R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"})",
      409);
  EXPECT_EQ(conflict.error_code, 409);
  const auto ok = parse_response(R"({"ok":true,"result":{"message_id":5}})", 200);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(parse_message_id(ok.result), 5);
  const auto gateway = parse_response("<html>502 Bad Gateway</html>", 502);
  EXPECT_FALSE(gateway.ok);
  EXPECT_EQ(gateway.error_code, 0);
  EXPECT_THAT(gateway.description, HasSubstr("502"));
}

TEST(BotApi, BuildsMessagesWithHtmlAndKeyboards) {
  chat::OutgoingMessage message;
  message.chat = ChatId{-100};
  message.html = "<b>Итоги</b>";
  message.markup.kind = chat::Markup::Kind::kInline;
  message.markup.inline_rows = {{{"✅ Подтвердить выигрыш", "confirm_win_7"}}};
  EXPECT_EQ(message_method(message), "sendMessage");
  const auto body = boost::json::parse(message_body(message)).as_object();
  EXPECT_EQ(body.at("chat_id").as_int64(), -100);
  EXPECT_EQ(body.at("parse_mode").as_string(), "HTML");
  EXPECT_EQ(
      body.at("reply_markup").at("inline_keyboard").at(0).at(0).at("callback_data").as_string(),
      "confirm_win_7");

  message.edit_message_id = 55;
  message.markup = {};
  EXPECT_EQ(message_method(message), "editMessageText");
  const auto edit = boost::json::parse(message_body(message)).as_object();
  EXPECT_EQ(edit.at("message_id").as_int64(), 55);
  EXPECT_FALSE(edit.contains("reply_markup"));

  chat::OutgoingMessage keyboard;
  keyboard.chat = ChatId{1};
  keyboard.markup.kind = chat::Markup::Kind::kKeyboard;
  keyboard.markup.keyboard_rows = {{{"📱 Поделиться номером", true}}, {{"Пропустить", false}}};
  const auto reply = boost::json::parse(message_body(keyboard)).as_object();
  EXPECT_TRUE(reply.at("reply_markup").at("keyboard").at(0).at(0).at("request_contact").as_bool());
  EXPECT_FALSE(
      reply.at("reply_markup").at("keyboard").at(1).at(0).as_object().contains("request_contact"));
}

TEST(BotApi, BuildsTheOtherRequests) {
  const auto poll = boost::json::parse(get_updates_body(17, std::chrono::seconds{25})).as_object();
  EXPECT_EQ(poll.at("offset").as_int64(), 17);
  EXPECT_EQ(poll.at("timeout").as_int64(), 25);
  EXPECT_EQ(poll.at("allowed_updates").as_array().size(), 2U);
  const auto answer =
      boost::json::parse(answer_callback_body({"q1", std::string(300, 'x'), true})).as_object();
  EXPECT_EQ(answer.at("text").as_string().size(), 200U);
  EXPECT_TRUE(answer.at("show_alert").as_bool());
  const auto scoped =
      boost::json::parse(set_commands_body({{"draw", "провести"}}, 9000)).as_object();
  EXPECT_EQ(scoped.at("scope").at("type").as_string(), "chat");
  EXPECT_EQ(scoped.at("scope").at("chat_id").as_int64(), 9000);
  const auto hook =
      boost::json::parse(set_webhook_body("https://bot.example/hook", "s3cret")).as_object();
  EXPECT_EQ(hook.at("secret_token").as_string(), "s3cret");
  EXPECT_EQ(
      parse_username(R"({"id":1,"is_bot":true,"first_name":"B","username":"club_lottery_bot"})"),
      "club_lottery_bot");
}

}  // namespace
}  // namespace lottery::telegram
