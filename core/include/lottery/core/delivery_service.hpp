#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/notification.hpp"

namespace lottery {

// What happens when a message cannot be delivered at all.
class DeliveryService {
 public:
  explicit DeliveryService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // Gives up on the notification for good (the user blocked the bot, Telegram refused
  // it): marks it failed and audits it. The admins are warned when it was about a win,
  // for the admins (the others are warned) or the public results, at most once an hour
  // per chat and win, so no win goes unnoticed and no flood of plain replies reaches
  // the admins. When the chat
  // cannot be written to at all (`chat_unreachable`, a 403), its queued replies are
  // given up with it.
  // Records that Telegram accepted the notification (`first_message_id`: the message
  // it made, for edits later); a winner message is audited as win.notified.
  [[nodiscard]] Result<void> record_sent(const Notification& notification,
                                         std::optional<std::int64_t> first_message_id);
  [[nodiscard]] Result<void> give_up(const Notification& notification, const std::string& reason,
                                     bool chat_unreachable = false);

 private:
  Dependencies deps_;
};

}  // namespace lottery
