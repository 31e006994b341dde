#pragma once

#include <cstddef>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// Messages to send, stored in the same transaction as the change that caused them,
// so a committed change is never without its messages and a rolled-back one never
// sends any.
class Outbox {
 public:
  virtual ~Outbox() = default;

  // Stores the notification (its id is ignored) as not yet sent; returns its id.
  [[nodiscard]] virtual NotificationId enqueue(const Notification& notification) = 0;
  // Not yet sent notifications, oldest first, at most `limit`.
  [[nodiscard]] virtual std::vector<Notification> pending(std::size_t limit) = 0;
  // Records that Telegram accepted the notification.
  virtual void mark_sent(NotificationId id, Instant at) = 0;
};

}  // namespace lottery
