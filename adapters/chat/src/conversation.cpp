#include "conversation.hpp"

#include "texts.hpp"

namespace lottery::chat {

void Conversation::reply(const std::string& html, Markup markup) {
  for (auto& part : text::split_message(html)) {
    replies.push_back(OutgoingMessage{chat, std::move(part), markup, std::nullopt});
    markup = {};  // buttons go under the first part only
  }
}

std::string Conversation::error_text(const Error& error) const {
  return text::error(error, settings.admin_contact);
}

void Conversation::reply_usage(std::string_view usage) { reply(text::usage(usage)); }

bool Conversation::from_admin() const {
  return Requester::telegram(user.id).actor(deps.settings).is_admin();
}

}  // namespace lottery::chat
