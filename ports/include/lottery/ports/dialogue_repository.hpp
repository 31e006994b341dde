#pragma once

#include <optional>
#include <string>

#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// Where a user stands in a multi-step conversation in a chat. The chat layer owns
// the meaning of `name`, `step` and `data`; the store keeps them across restarts and
// bot processes.
struct Dialogue {
  ChatId chat;
  TelegramUserId user;
  std::string name;
  std::string step;
  std::string data;
  Instant updated_at;

  friend bool operator==(const Dialogue&, const Dialogue&) = default;
};

class DialogueRepository {
 public:
  virtual ~DialogueRepository() = default;

  // The user's dialogue in the chat, if one is open.
  [[nodiscard]] virtual std::optional<Dialogue> find(ChatId chat, TelegramUserId user) = 0;
  // Opens or replaces the user's dialogue in the chat.
  virtual void save(const Dialogue& dialogue) = 0;
  // Closes the user's dialogue in the chat, if any.
  virtual void remove(ChatId chat, TelegramUserId user) = 0;
};

}  // namespace lottery
