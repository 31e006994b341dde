#pragma once

// The Bot API's JSON, both ways, without any I/O: what the HTTP client sends and
// what it gets back, and the chat layer's events and messages in Telegram's terms.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/chat/chat_types.hpp"

namespace lottery::telegram {

// The Bot API's answer to a call: {"ok":true,"result":...} or an error envelope.
struct ApiResponse {
  bool ok{false};
  std::string result;  // the "result" member as JSON text, when ok
  int error_code{0};   // 400, 403, 409, 429, 5xx...; 0 when the body was not an envelope
  std::string description;
  std::optional<std::chrono::seconds> retry_after;
};

// Parses a response body; a body that is not a Bot API envelope gives ok = false,
// error_code 0 and a description saying so.
[[nodiscard]] ApiResponse parse_response(std::string_view body, int http_status);

// One update of getUpdates or of a webhook call: its id and, when it is something
// the bot handles, the chat event. Edited messages, channel posts and other kinds
// give no event (and are acknowledged as handled).
struct ParsedUpdate {
  std::int64_t update_id{0};
  std::optional<chat::ChatEvent> event;
};

// The updates of a getUpdates result (a JSON array). An element that is not an
// object with an update_id is skipped; nothing throws.
[[nodiscard]] std::vector<ParsedUpdate> parse_updates(std::string_view result_json);
// One update, as a webhook delivers it; nothing for a body that is not one.
[[nodiscard]] std::optional<ParsedUpdate> parse_update(std::string_view update_json);

// The bot's own username, from the result of getMe.
[[nodiscard]] std::optional<std::string> parse_username(std::string_view get_me_result);
// The message_id of a sent message (the result of sendMessage).
[[nodiscard]] std::optional<std::int64_t> parse_message_id(std::string_view message_result);

// Request bodies.
[[nodiscard]] std::string get_updates_body(std::int64_t offset, std::chrono::seconds timeout);
// sendMessage, or editMessageText when the message edits one.
[[nodiscard]] std::string message_body(const chat::OutgoingMessage& message);
[[nodiscard]] std::string_view message_method(const chat::OutgoingMessage& message);
// The Content-Type of message_body(): JSON, or multipart/form-data for a document.
[[nodiscard]] std::string message_content_type(const chat::OutgoingMessage& message);
[[nodiscard]] std::string answer_callback_body(const chat::ButtonAnswer& answer);
// setMyCommands for everyone (no chat) or for one chat.
[[nodiscard]] std::string set_commands_body(const std::vector<chat::BotCommand>& commands,
                                            std::optional<std::int64_t> chat);
[[nodiscard]] std::string set_webhook_body(const std::string& url, const std::string& secret);

// The update kinds the bot asks Telegram for.
inline constexpr std::string_view kAllowedUpdates = R"(["message","callback_query"])";

}  // namespace lottery::telegram
