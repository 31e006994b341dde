#pragma once

// The outbox, dialogues, processed updates and the audit log of the in-memory store
// (memory_store.cpp assembles them into transactions).

#include <algorithm>
#include <set>
#include <string>

#include "fakes/memory_store.hpp"
#include "fakes/memory_writes.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing::memory {

class MemoryOutbox : public Outbox {
 public:
  explicit MemoryOutbox(Writes& writes) : writes_(writes) {}

  NotificationId enqueue(const Notification& notification) override {
    writes_.before("outbox.enqueue");
    Notification stored = notification;
    stored.id = NotificationId{writes_.next_id("outbox")};
    stored.attempts = 0;
    stored.parts_sent = 0;
    stored.parts_digest = 0;
    writes_.state().outbox.push_back(stored);
    writes_.state().deliveries[stored.id.value()] = Delivery{};
    return stored.id;
  }
  std::vector<Notification> pending(std::size_t limit, Instant now, const std::string& sender,
                                    std::span<const ChatId> skip) override {
    std::vector<Notification> replies;
    std::vector<Notification> list;
    std::set<std::int64_t> chats_seen;  // a chat's first unfinished message blocks the rest
    for (const Notification& notification : writes_.state().outbox) {
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (delivery.sent_at || delivery.failed_at) continue;
      if (!chats_seen.insert(notification.chat.value()).second) continue;
      if (std::find(skip.begin(), skip.end(), notification.chat) != skip.end()) continue;
      if (delivery.next_attempt_at && *delivery.next_attempt_at > now) continue;
      if (leased_to_another(delivery, now, sender)) continue;
      (is_sent_first(notification.kind) ? replies : list).push_back(notification);
    }
    replies.insert(replies.end(), list.begin(), list.end());
    if (replies.size() > limit) replies.resize(limit);
    return replies;
  }
  bool lease(NotificationId id, Instant now, const std::string& sender, Instant until) override {
    const auto due = pending(writes_.state().outbox.size(), now, sender, {});
    if (std::none_of(due.begin(), due.end(), [&](const auto& item) { return item.id == id; })) {
      return false;
    }
    writes_.before("outbox.lease");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.leased_by = sender;
    delivery.leased_until = until;
    return true;
  }
  std::vector<NotificationId> lease_all(std::span<const NotificationId> ids, Instant now,
                                        const std::string& sender, Instant until) override {
    std::vector<NotificationId> leased;
    for (const NotificationId id : std::set<NotificationId>(ids.begin(), ids.end())) {
      if (lease(id, now, sender, until)) leased.push_back(id);
    }
    return leased;
  }
  void release_leases(const std::string& sender) override {
    writes_.before("outbox.release_leases");
    for (auto& [id, delivery] : writes_.state().deliveries) {
      if (delivery.leased_by == sender) end_lease(delivery);
    }
  }
  void mark_sent(NotificationId id, Instant at, std::optional<std::int64_t> message_id) override {
    writes_.before("outbox.mark_sent");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.sent_at = at;
    if (message_id) delivery.message_id = message_id;
    end_lease(delivery);
  }
  void mark_parts_sent(NotificationId id, int parts, std::optional<std::int64_t> first_message_id,
                       std::int64_t digest) override {
    writes_.before("outbox.mark_parts_sent");
    if (first_message_id) writes_.state().deliveries.at(id.value()).message_id = first_message_id;
    for (Notification& notification : writes_.state().outbox) {
      if (notification.id != id) continue;
      notification.parts_sent = parts;
      notification.parts_digest = digest;
    }
  }
  void mark_failed(NotificationId id, Instant at, const std::string& reason) override {
    writes_.before("outbox.mark_failed");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.failed_at = at;
    delivery.failure = reason;
    end_lease(delivery);
  }
  std::size_t fail_replies(ChatId chat, Instant at, const std::string& reason) override {
    writes_.before("outbox.fail_replies");
    std::size_t dropped = 0;
    for (const Notification& notification : writes_.state().outbox) {
      Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (notification.chat != chat || !is_reply(notification.kind) || delivery.sent_at ||
          delivery.failed_at || (delivery.leased_until && *delivery.leased_until > at)) {
        continue;
      }
      delivery.failed_at = at;
      delivery.failure = reason;
      end_lease(delivery);
      ++dropped;
    }
    return dropped;
  }
  bool queued_about(ChatId chat, NotificationKind kind, LotteryId lottery, Instant since) override {
    return std::any_of(writes_.state().outbox.begin(), writes_.state().outbox.end(),
                       [&](const Notification& notification) {
                         return notification.chat == chat && notification.kind == kind &&
                                notification.lottery == lottery && notification.created_at >= since;
                       });
  }
  bool warned_about(ChatId chat, std::optional<WinnerId> winner, Instant since) override {
    return std::any_of(writes_.state().outbox.begin(), writes_.state().outbox.end(),
                       [&](const Notification& notification) {
                         return notification.kind == NotificationKind::kAdminUndeliverable &&
                                notification.count == chat.value() &&
                                notification.winner == winner && notification.created_at >= since;
                       });
  }
  void postpone(NotificationId id, Instant until) override {
    writes_.before("outbox.postpone");
    writes_.state().deliveries.at(id.value()).next_attempt_at = until;
    end_lease(writes_.state().deliveries.at(id.value()));
    for (Notification& notification : writes_.state().outbox) {
      if (notification.id == id) ++notification.attempts;
    }
  }
  std::optional<std::int64_t> sent_message(LotteryId lottery, NotificationKind kind) override {
    std::optional<std::int64_t> found;
    for (const Notification& notification : writes_.state().outbox) {
      if (notification.lottery != lottery || notification.kind != kind) continue;
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (delivery.message_id) found = delivery.message_id;
    }
    return found;
  }
  DeliveryProgress progress(LotteryId lottery, NotificationKind kind) override {
    DeliveryProgress progress;
    for (const Notification& notification : writes_.state().outbox) {
      if (notification.lottery != lottery || notification.kind != kind) continue;
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      ++progress.total;
      if (delivery.sent_at) ++progress.sent;
      if (delivery.failed_at) ++progress.failed;
    }
    return progress;
  }
  std::vector<SentNotification> unfinished_progress_posts(Instant since) override {
    std::vector<SentNotification> posts;
    for (const Notification& post : writes_.state().outbox) {
      const Delivery& delivery = writes_.state().deliveries.at(post.id.value());
      if (post.kind != NotificationKind::kDrawProgress || !post.lottery || !delivery.message_id ||
          post.created_at < since) {
        continue;
      }
      const DeliveryProgress winners = progress(*post.lottery, NotificationKind::kWinnerDrawn);
      if (winners.sent + winners.failed < winners.total) {
        posts.push_back(SentNotification{post, *delivery.message_id});
      }
    }
    return posts;
  }

 private:
  static bool leased_to_another(const Delivery& delivery, Instant now, const std::string& sender) {
    return delivery.leased_until && *delivery.leased_until > now && delivery.leased_by != sender;
  }
  static void end_lease(Delivery& delivery) {
    delivery.leased_by.clear();
    delivery.leased_until.reset();
  }

  Writes& writes_;
};

class MemoryDialogues : public DialogueRepository {
 public:
  explicit MemoryDialogues(Writes& writes) : writes_(writes) {}

  std::optional<Dialogue> find(ChatId chat, TelegramUserId user) override {
    const auto& dialogues = writes_.state().dialogues;
    const auto found = dialogues.find({chat.value(), user.value()});
    return found == dialogues.end() ? std::nullopt : std::optional{found->second};
  }
  void save(const Dialogue& dialogue) override {
    writes_.before("dialogues.save");
    writes_.state().dialogues[{dialogue.chat.value(), dialogue.user.value()}] = dialogue;
  }
  void remove(ChatId chat, TelegramUserId user) override {
    writes_.before("dialogues.remove");
    writes_.state().dialogues.erase({chat.value(), user.value()});
  }

 private:
  Writes& writes_;
};

class MemoryUpdates : public ProcessedUpdates {
 public:
  explicit MemoryUpdates(Writes& writes) : writes_(writes) {}

  bool claim(std::int64_t update_id, Instant at) override {
    if (writes_.state().processed_updates.contains(update_id)) return false;
    writes_.before("updates.claim");
    writes_.state().processed_updates.emplace(update_id, at);
    return true;
  }
  void prune(Instant before) override {
    writes_.before("updates.prune");
    std::erase_if(writes_.state().processed_updates,
                  [&](const auto& entry) { return entry.second < before; });
  }

 private:
  Writes& writes_;
};

class MemoryAudit : public AuditLog {
 public:
  explicit MemoryAudit(Writes& writes) : writes_(writes) {}

  void append(const AuditEvent& event) override {
    writes_.before("audit.append");
    writes_.state().audit.push_back(event);
  }
  std::vector<AuditEvent> for_lottery(LotteryId lottery) override {
    std::vector<AuditEvent> events;
    for (const AuditEvent& event : writes_.state().audit) {
      if (event.lottery == lottery) events.push_back(event);
    }
    return events;
  }

 private:
  Writes& writes_;
};

}  // namespace lottery::testing::memory
