#pragma once

// The Telegram messages a queued notification becomes, one function per kind.

#include <vector>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/chat/chat_types.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/notification.hpp"

namespace lottery::chat {

// Reads the store only for the kinds that need current data (a reply renders without
// opening a transaction).
[[nodiscard]] std::vector<OutgoingMessage> render_notification(const Dependencies& deps,
                                                               const ChatSettings& settings,
                                                               const Notification& notification);

}  // namespace lottery::chat
