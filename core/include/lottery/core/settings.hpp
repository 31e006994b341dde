#pragma once

#include <chrono>
#include <optional>
#include <set>

#include "lottery/core/ids.hpp"

namespace lottery {

// The configuration the rules depend on.
struct Settings {
  std::set<TelegramUserId> admins;
  std::optional<ChatId> announce_chat;
  std::chrono::seconds claim_window{std::chrono::hours{24}};
  // A winner who has not confirmed is reminded when this share of the window is left.
  int reminder_divisor{4};
};

}  // namespace lottery
