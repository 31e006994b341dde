#include "lottery/core/delivery_service.hpp"

#include "support.hpp"

namespace lottery {
namespace {

// One warning an hour per chat and win: a blocked winner's reminder after the winner
// message is the same problem, another win of theirs is not.
constexpr auto kWarningInterval = std::chrono::hours{1};

}  // namespace

Result<void> DeliveryService::record_sent(const Notification& notification,
                                          std::optional<std::int64_t> first_message_id) {
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<void> {
    const Instant now = deps_.clock.now();
    transaction.outbox().mark_sent(notification.id, now, first_message_id);
    if (notification.kind == NotificationKind::kWinnerDrawn && notification.winner) {
      detail::audit(transaction, now, Actor{ActorKind::kSystem, std::nullopt},
                    AuditAction::kWinNotified, notification.lottery, notification.winner,
                    "chat " + std::to_string(notification.chat.value()));
    }
    return {};
  });
}

Result<void> DeliveryService::give_up(const Notification& notification, const std::string& reason,
                                      bool chat_unreachable) {
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<void> {
    const Instant now = deps_.clock.now();
    transaction.outbox().mark_failed(notification.id, now, reason);
    detail::audit(transaction, now, Actor{ActorKind::kSystem, std::nullopt},
                  AuditAction::kMessageUndeliverable, notification.lottery, notification.winner,
                  std::string(to_string(notification.kind)) + " to chat " +
                      std::to_string(notification.chat.value()) + ": " + reason);
    if (chat_unreachable) {
      const std::size_t dropped =
          transaction.outbox().fail_replies(notification.chat, now, "chat unreachable: " + reason);
      if (dropped > 0) {
        detail::audit(transaction, now, Actor{ActorKind::kSystem, std::nullopt},
                      AuditAction::kMessageUndeliverable, std::nullopt, std::nullopt,
                      std::to_string(dropped) + " queued replies to chat " +
                          std::to_string(notification.chat.value()) + " dropped: " + reason);
      }
    }
    // A warning about a warning could loop; a plain reply is not worth one. A win, a
    // message for the admins and the public results are.
    const bool worth_a_warning =
        notification.kind != NotificationKind::kAdminUndeliverable &&
        (is_win_message(notification.kind) || is_admin_message(notification.kind) ||
         notification.kind == NotificationKind::kLotteryAnnounced ||
         notification.kind == NotificationKind::kResultsPublished ||
         notification.kind == NotificationKind::kResultsUpdated);
    if (!worth_a_warning || transaction.outbox().warned_about(
                                notification.chat, notification.winner, now - kWarningInterval)) {
      return {};
    }
    Notification warning = notification;
    warning.kind = NotificationKind::kAdminUndeliverable;
    warning.count = notification.chat.value();
    warning.detail = reason;
    warning.text.clear();
    warning.markup.clear();
    warning.reference = 0;
    warning.created_at = now;
    for (const TelegramUserId admin : deps_.settings.admins) {
      // The admin whose chat failed is not told through it.
      if (private_chat_of(admin) == notification.chat) continue;
      warning.chat = private_chat_of(admin);
      (void)transaction.outbox().enqueue(warning);
    }
    return {};
  });
}

}  // namespace lottery
