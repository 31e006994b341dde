#include "lottery/telegram/bot_api.hpp"

#include <boost/json.hpp>

namespace lottery::telegram {
namespace json = boost::json;
namespace {

const json::object* object_at(const json::object& parent, std::string_view key) {
  const auto* found = parent.if_contains(key);
  return found != nullptr ? found->if_object() : nullptr;
}

std::optional<std::int64_t> integer_at(const json::object& parent, std::string_view key) {
  const auto* found = parent.if_contains(key);
  if (found == nullptr) return std::nullopt;
  if (const auto* value = found->if_int64()) return *value;
  if (const auto* value = found->if_uint64()) {
    if (*value <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(*value);
  }
  return std::nullopt;
}

std::string string_at(const json::object& parent, std::string_view key) {
  const auto* found = parent.if_contains(key);
  if (found == nullptr) return {};
  if (const auto* value = found->if_string()) return std::string(*value);
  return {};
}

std::optional<chat::ChatUser> user_from(const json::object* user) {
  if (user == nullptr) return std::nullopt;
  const auto id = integer_at(*user, "id");
  if (!id) return std::nullopt;
  return chat::ChatUser{TelegramUserId{*id}, string_at(*user, "username"),
                        string_at(*user, "first_name")};
}

std::optional<chat::ChatEvent> message_event(const json::object& message) {
  const auto from = user_from(object_at(message, "from"));
  const auto* chat_object = object_at(message, "chat");
  const auto message_id = integer_at(message, "message_id");
  if (!from || chat_object == nullptr || !message_id) return std::nullopt;
  const auto chat_id = integer_at(*chat_object, "id");
  if (!chat_id) return std::nullopt;
  chat::IncomingMessage event;
  event.chat = ChatId{*chat_id};
  event.is_private = string_at(*chat_object, "type") == "private";
  event.from = *from;
  event.message_id = *message_id;
  event.text = string_at(message, "text");
  if (const auto* contact = object_at(message, "contact")) {
    chat::SharedContact shared{string_at(*contact, "phone_number"), std::nullopt};
    if (const auto user_id = integer_at(*contact, "user_id"))
      shared.user_id = TelegramUserId{*user_id};
    event.contact = shared;
  }
  if (event.text.empty() && !event.contact) return std::nullopt;  // photos, stickers...
  return event;
}

std::optional<chat::ChatEvent> callback_event(const json::object& query) {
  const auto from = user_from(object_at(query, "from"));
  const std::string id = string_at(query, "id");
  if (!from || id.empty()) return std::nullopt;
  chat::ButtonPress press;
  press.query_id = id;
  press.from = *from;
  press.data = string_at(query, "data");
  if (const auto* message = object_at(query, "message")) {
    if (const auto message_id = integer_at(*message, "message_id")) press.message_id = *message_id;
    if (const auto* chat_object = object_at(*message, "chat")) {
      if (const auto chat_id = integer_at(*chat_object, "id")) press.chat = ChatId{*chat_id};
    }
  }
  return press;
}

std::optional<ParsedUpdate> update_from(const json::value& value) {
  const auto* update = value.if_object();
  if (update == nullptr) return std::nullopt;
  const auto update_id = integer_at(*update, "update_id");
  if (!update_id) return std::nullopt;
  ParsedUpdate parsed{*update_id, std::nullopt};
  if (const auto* message = object_at(*update, "message")) {
    parsed.event = message_event(*message);
  } else if (const auto* query = object_at(*update, "callback_query")) {
    parsed.event = callback_event(*query);
  }
  return parsed;
}

std::optional<json::value> parse_json(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) return std::nullopt;
  return value;
}

json::value markup_json(const chat::Markup& markup) {
  switch (markup.kind) {
    case chat::Markup::Kind::kNone:
      return nullptr;
    case chat::Markup::Kind::kRemoveKeyboard:
      return json::object{{"remove_keyboard", true}};
    case chat::Markup::Kind::kInline: {
      json::array rows;
      for (const auto& row : markup.inline_rows) {
        json::array buttons;
        for (const auto& button : row) {
          json::object json_button{{"text", button.text}};
          if (button.url.empty()) {
            json_button["callback_data"] = button.data;
          } else if (button.web_app) {
            json_button["web_app"] = json::object{{"url", button.url}};
          } else {
            json_button["url"] = button.url;
          }
          buttons.push_back(std::move(json_button));
        }
        rows.push_back(std::move(buttons));
      }
      return json::object{{"inline_keyboard", std::move(rows)}};
    }
    case chat::Markup::Kind::kKeyboard: {
      json::array rows;
      for (const auto& row : markup.keyboard_rows) {
        json::array buttons;
        for (const auto& button : row) {
          json::object object{{"text", button.text}};
          if (button.request_contact) object["request_contact"] = true;
          buttons.push_back(std::move(object));
        }
        rows.push_back(std::move(buttons));
      }
      return json::object{
          {"keyboard", std::move(rows)}, {"resize_keyboard", true}, {"one_time_keyboard", true}};
    }
  }
  return nullptr;
}

}  // namespace

ApiResponse parse_response(std::string_view body, int http_status) {
  ApiResponse response;
  const auto value = parse_json(body);
  const auto* envelope = value ? value->if_object() : nullptr;
  const auto* ok = envelope != nullptr ? envelope->if_contains("ok") : nullptr;
  if (ok == nullptr || !ok->is_bool()) {
    response.error_code = 0;
    response.description = "not a Bot API response (HTTP " + std::to_string(http_status) + ")";
    return response;
  }
  response.ok = ok->as_bool();
  if (response.ok) {
    if (const auto* result = envelope->if_contains("result"))
      response.result = json::serialize(*result);
    return response;
  }
  response.error_code = static_cast<int>(integer_at(*envelope, "error_code").value_or(http_status));
  response.description = string_at(*envelope, "description");
  if (const auto* parameters = object_at(*envelope, "parameters")) {
    if (const auto retry = integer_at(*parameters, "retry_after")) {
      response.retry_after = std::chrono::seconds{*retry};
    }
  }
  return response;
}

std::vector<ParsedUpdate> parse_updates(std::string_view result_json) {
  std::vector<ParsedUpdate> updates;
  const auto value = parse_json(result_json);
  const auto* array = value ? value->if_array() : nullptr;
  if (array == nullptr) return updates;
  for (const auto& element : *array) {
    if (auto update = update_from(element)) updates.push_back(std::move(*update));
  }
  return updates;
}

std::optional<ParsedUpdate> parse_update(std::string_view update_json) {
  const auto value = parse_json(update_json);
  if (!value) return std::nullopt;
  return update_from(*value);
}

std::optional<std::string> parse_username(std::string_view get_me_result) {
  const auto value = parse_json(get_me_result);
  const auto* user = value ? value->if_object() : nullptr;
  if (user == nullptr) return std::nullopt;
  std::string username = string_at(*user, "username");
  if (username.empty()) return std::nullopt;
  return username;
}

std::optional<std::int64_t> parse_message_id(std::string_view message_result) {
  const auto value = parse_json(message_result);
  const auto* message = value ? value->if_object() : nullptr;
  if (message == nullptr) return std::nullopt;
  return integer_at(*message, "message_id");
}

std::string get_updates_body(std::int64_t offset, std::chrono::seconds timeout) {
  json::object body{{"offset", offset},
                    {"timeout", timeout.count()},
                    {"allowed_updates", json::parse(kAllowedUpdates)}};
  return json::serialize(body);
}

std::string_view message_method(const chat::OutgoingMessage& message) {
  if (message.document) return "sendDocument";
  return message.edit_message_id ? "editMessageText" : "sendMessage";
}

namespace {

// A boundary that the parts cannot contain: grown until it is absent from the file.
std::string multipart_boundary(const chat::OutgoingMessage& message) {
  std::string boundary = "lottery-bot-part";
  while (message.document->content.find(boundary) != std::string::npos ||
         message.html.find(boundary) != std::string::npos) {
    boundary += "-x";
  }
  return boundary;
}

// sendDocument uploads the file as multipart/form-data (RFC 7578).
std::string document_body(const chat::OutgoingMessage& message, const std::string& boundary) {
  std::string body;
  const auto field = [&](const std::string& name, const std::string& value) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  };
  field("chat_id", std::to_string(message.chat.value()));
  field("caption", message.html);
  field("parse_mode", "HTML");
  // The file name is ours (winners-ID.csv): nothing in it needs quoting.
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"document\"; filename=\"" +
          message.document->file_name + "\"\r\nContent-Type: text/csv; charset=utf-8\r\n\r\n" +
          message.document->content + "\r\n--" + boundary + "--\r\n";
  return body;
}

}  // namespace

std::string message_content_type(const chat::OutgoingMessage& message) {
  if (!message.document) return "application/json";
  return "multipart/form-data; boundary=" + multipart_boundary(message);
}

std::string message_body(const chat::OutgoingMessage& message) {
  if (message.document) return document_body(message, multipart_boundary(message));
  json::object body{{"chat_id", message.chat.value()},
                    {"text", message.html},
                    {"parse_mode", "HTML"},
                    {"link_preview_options", json::object{{"is_disabled", true}}}};
  if (message.edit_message_id) body["message_id"] = *message.edit_message_id;
  auto markup = markup_json(message.markup);
  // An edit can only carry inline buttons; without any, the old ones are removed.
  if (message.edit_message_id && !markup.is_null() &&
      message.markup.kind != chat::Markup::Kind::kInline) {
    markup = nullptr;
  }
  if (!markup.is_null()) body["reply_markup"] = std::move(markup);
  return json::serialize(body);
}

std::string answer_callback_body(const chat::ButtonAnswer& answer) {
  // Telegram shows at most 200 characters; cut at a character boundary.
  std::string text = answer.text;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++characters > 200) {
      text.resize(i);
      break;
    }
  }
  json::object body{{"callback_query_id", answer.query_id}, {"text", text}};
  if (answer.alert) body["show_alert"] = true;
  return json::serialize(body);
}

std::string set_commands_body(const std::vector<chat::BotCommand>& commands,
                              std::optional<std::int64_t> chat) {
  json::array list;
  for (const auto& command : commands) {
    list.push_back(json::object{{"command", command.name}, {"description", command.description}});
  }
  json::object body{{"commands", std::move(list)}};
  if (chat) {
    body["scope"] = json::object{{"type", "chat"}, {"chat_id", *chat}};
  } else {
    body["scope"] = json::object{{"type", "default"}};
  }
  return json::serialize(body);
}

std::string set_webhook_body(const std::string& url, const std::string& secret) {
  json::object body{
      {"url", url}, {"secret_token", secret}, {"allowed_updates", json::parse(kAllowedUpdates)}};
  return json::serialize(body);
}

}  // namespace lottery::telegram
