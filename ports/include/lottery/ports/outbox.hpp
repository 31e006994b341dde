#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// Notifications of one kind about one lottery: how many there are, sent, given up.
struct DeliveryProgress {
  std::uint64_t total{0};
  std::uint64_t sent{0};
  std::uint64_t failed{0};
  friend bool operator==(const DeliveryProgress&, const DeliveryProgress&) = default;
};

// A notification that went out, with the Telegram message it became.
struct SentNotification {
  Notification notification;
  std::int64_t message_id{0};
};

// Messages to send, stored in the same transaction as the change that caused them,
// so a committed change is never without its messages and a rolled-back one never
// sends any. Each is delivered until it is sent, or failed for good.
class Outbox {
 public:
  virtual ~Outbox() = default;

  // Stores the notification (its id and attempts are ignored) as due now; returns its id.
  [[nodiscard]] virtual NotificationId enqueue(const Notification& notification) = 0;
  // Due notifications, at most `limit`, replies and messages to admins (kReply,
  // kReplyEdit, kDrawProgress, kWinnersExport, kAdmin…) before the others, each group
  // oldest first: neither sent nor failed, not
  // postponed past `now`, not leased to another sender past `now`, each the first
  // unfinished one of its chat (a chat's messages go out in order), and none of a chat
  // in `skip` (chats the sender may not write to yet: they must not crowd out the rest).
  [[nodiscard]] virtual std::vector<Notification> pending(std::size_t limit, Instant now,
                                                          const std::string& sender,
                                                          std::span<const ChatId> skip) = 0;
  // Leases a notification to `sender` until `until` if it is still due as pending()
  // defines it; false when it is not (sent, or taken by another sender meanwhile).
  [[nodiscard]] virtual bool lease(NotificationId id, Instant now, const std::string& sender,
                                   Instant until) = 0;
  // lease() for several in one step; the ids of those it leased, in no particular order.
  [[nodiscard]] virtual std::vector<NotificationId> lease_all(std::span<const NotificationId> ids,
                                                              Instant now,
                                                              const std::string& sender,
                                                              Instant until) = 0;
  // Ends every lease `sender` holds (a restarted sender takes back what it held).
  virtual void release_leases(const std::string& sender) = 0;
  // Records that Telegram accepted it, with the id of the message it became (ends its lease,
  // as do mark_failed and postpone); without an id, one recorded by mark_parts_sent stays.
  virtual void mark_sent(NotificationId id, Instant at, std::optional<std::int64_t> message_id) = 0;
  // Records that the first `parts` parts of a message sent in several went out, what they
  // were (the sender's digest of the rendering), and the message id of the first (a
  // retry sends the rest; mark_sent without an id keeps it).
  virtual void mark_parts_sent(NotificationId id, int parts,
                               std::optional<std::int64_t> first_message_id,
                               std::int64_t digest) = 0;
  // Gives up on it for good (blocked by the user, refused as malformed).
  virtual void mark_failed(NotificationId id, Instant at, const std::string& reason) = 0;
  // Gives up every unsent reply (kReply, kReplyEdit) to `chat`, which cannot be written
  // to (the user blocked the bot); returns how many. A reply leased to a sender (of any
  // instance) until after `at` is left to that sender, which will meet the same refusal.
  virtual std::size_t fail_replies(ChatId chat, Instant at, const std::string& reason) = 0;
  // Whether a notification of `kind` about `lottery` was queued for `chat` at or after
  // `since` (so that a heavy one, like an entry list, is not queued again and again).
  [[nodiscard]] virtual bool queued_about(ChatId chat, NotificationKind kind, LotteryId lottery,
                                          Instant since) = 0;
  // Whether a warning that `chat` cannot be written to (kAdminUndeliverable, its chat
  // in `count`) about `winner` (or about no win) was queued at or after `since`.
  [[nodiscard]] virtual bool warned_about(ChatId chat, std::optional<WinnerId> winner,
                                          Instant since) = 0;
  // Counts a failed attempt and keeps it back until `until`.
  virtual void postpone(NotificationId id, Instant until) = 0;
  // The Telegram message the latest sent notification of this kind about this lottery
  // became, if any (a redraw edits the results post).
  [[nodiscard]] virtual std::optional<std::int64_t> sent_message(LotteryId lottery,
                                                                 NotificationKind kind) = 0;
  // How far the notifications of this kind about this lottery have got.
  [[nodiscard]] virtual DeliveryProgress progress(LotteryId lottery, NotificationKind kind) = 0;
  // The draws' progress messages queued since `since` and sent, whose winner
  // notifications are not all sent or given up yet (a restarted sender goes on editing
  // them), oldest first.
  [[nodiscard]] virtual std::vector<SentNotification> unfinished_progress_posts(Instant since) = 0;
};

}  // namespace lottery
