#include "lottery/core/delivery_service.hpp"

#include "support.hpp"

namespace lottery {

Result<void> DeliveryService::give_up(const Notification& notification, const std::string& reason) {
  return detail::in_transaction(deps_.transactions, [&](Transaction& transaction) -> Result<void> {
    const Instant now = deps_.clock.now();
    transaction.outbox().mark_failed(notification.id, now, reason);
    detail::audit(transaction, now, Actor{ActorKind::kSystem, std::nullopt},
                  AuditAction::kMessageUndeliverable, notification.lottery, notification.winner,
                  std::string(to_string(notification.kind)) + " to chat " +
                      std::to_string(notification.chat.value()) + ": " + reason);
    bool for_admin = false;
    for (const TelegramUserId admin : deps_.settings.admins) {
      for_admin = for_admin || private_chat_of(admin) == notification.chat;
    }
    if (for_admin || notification.kind == NotificationKind::kAdminUndeliverable) return {};
    Notification warning = notification;
    warning.kind = NotificationKind::kAdminUndeliverable;
    warning.count = notification.chat.value();
    warning.detail = reason;
    warning.text.clear();
    warning.markup.clear();
    warning.reference = 0;
    warning.created_at = now;
    detail::notify_admins(transaction, deps_.settings, warning);
    return {};
  });
}

}  // namespace lottery
