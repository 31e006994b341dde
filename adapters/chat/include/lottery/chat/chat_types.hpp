#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lottery/core/ids.hpp"

namespace lottery::chat {

// Who wrote: the parts of a Telegram user the conversations use.
struct ChatUser {
  TelegramUserId id;
  std::string username;  // without '@'; may be empty
  std::string first_name;
};

// A contact shared with Telegram's button; `user_id` is set when it is a Telegram
// user's own card.
struct SharedContact {
  std::string phone_number;
  std::optional<TelegramUserId> user_id;
};

// A message in a chat: text (a command or not) or a shared contact.
struct IncomingMessage {
  ChatId chat;
  bool is_private{true};
  ChatUser from;
  std::int64_t message_id{0};
  std::string text;
  std::optional<SharedContact> contact;
};

// A press on an inline button under one of the bot's messages.
struct ButtonPress {
  std::string query_id;
  ChatUser from;
  std::optional<ChatId> chat;  // absent when the message is too old for Telegram to say
  std::int64_t message_id{0};
  std::string data;
};

using ChatEvent = std::variant<IncomingMessage, ButtonPress>;

// The short answer shown to whoever pressed a button (answerCallbackQuery).
struct ButtonAnswer {
  std::string query_id;
  std::string text;
  bool alert{false};
};

// A button under a message: it sends `data` back to the bot; or, with a `url`, opens
// that page — in Telegram's Mini App view when `web_app` (private chats only).
struct InlineButton {
  std::string text;
  std::string data;  // callback data, 1-64 bytes; empty with a url
  std::string url;
  bool web_app{false};
  friend bool operator==(const InlineButton&, const InlineButton&) = default;
};

struct KeyboardButton {
  std::string text;
  bool request_contact{false};
  friend bool operator==(const KeyboardButton&, const KeyboardButton&) = default;
};

// What goes under a message: inline buttons, a reply keyboard, or the removal of one.
struct Markup {
  enum class Kind { kNone, kInline, kKeyboard, kRemoveKeyboard };
  Kind kind{Kind::kNone};
  std::vector<std::vector<InlineButton>> inline_rows;
  std::vector<std::vector<KeyboardButton>> keyboard_rows;
  friend bool operator==(const Markup&, const Markup&) = default;
};

// A message ready for Telegram: HTML text (at most 4096 characters) and its markup;
// with `edit_message_id`, it replaces the text of that message instead.
// A file to send as a document; its message's html is the caption.
struct Document {
  std::string file_name;
  std::string content;
  friend bool operator==(const Document&, const Document&) = default;
};

struct OutgoingMessage {
  ChatId chat;
  std::string html;
  Markup markup;
  std::optional<std::int64_t> edit_message_id;
  std::optional<Document> document;
  friend bool operator==(const OutgoingMessage&, const OutgoingMessage&) = default;
};

struct BotCommand {
  std::string name;  // without '/'
  std::string description;
};

}  // namespace lottery::chat
