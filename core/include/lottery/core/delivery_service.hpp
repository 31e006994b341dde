#pragma once

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
  // it): marks it failed, audits it and tells the admins, so no win goes unnoticed.
  // A notification for an admin is only marked and audited (telling the admins about
  // it could loop).
  [[nodiscard]] Result<void> give_up(const Notification& notification, const std::string& reason);

 private:
  Dependencies deps_;
};

}  // namespace lottery
