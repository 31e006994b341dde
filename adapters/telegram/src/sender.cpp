#include "lottery/telegram/sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "lottery/core/delivery_service.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::telegram {
namespace {

constexpr std::chrono::milliseconds kIdleNap{1000};

bool is_group(ChatId chat) { return chat.value() < 0; }

}  // namespace

Sender::Sender(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits,
               std::string instance)
    : client_(client),
      chat_(chat),
      deps_(std::move(dependencies)),
      limits_(limits),
      instance_(std::move(instance)),
      tokens_(1.0) {
  try {
    auto transaction = deps_.transactions.begin();
    transaction->outbox().release_leases(instance_);
    transaction->commit();
  } catch (const StorageError& error) {
    // Not fatal: the leases end by themselves, and the database may come back later.
    spdlog::warn("sender: cannot take back earlier leases: {}", error.what());
  }
}

bool Sender::chat_ready(ChatId chat, Instant now) const {
  const auto found = chat_ready_at_.find(chat);
  return found == chat_ready_at_.end() || found->second <= now;
}

void Sender::note_sent_to(ChatId chat, Instant now) {
  chat_ready_at_[chat] =
      now + (is_group(chat) ? limits_.per_group_interval : limits_.per_chat_interval);
}

// A token bucket of one token: messages are paced evenly, never in bursts, so no
// window of a second ever holds more than the rate.
bool Sender::take_token(Instant now) {
  const double elapsed = std::chrono::duration<double>(now - tokens_at_).count();
  tokens_ = std::min(1.0, tokens_ + elapsed * limits_.messages_per_second);
  tokens_at_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

Sender::Delivery Sender::deliver(const Notification& notification, Instant now) {
  {
    auto transaction = deps_.transactions.begin();
    if (!transaction->outbox().lease(notification.id, now, instance_, now + limits_.lease)) {
      return Delivery::kTakenElsewhere;
    }
    transaction->commit();
  }
  const auto messages = chat_.render(notification);
  std::optional<std::int64_t> first_message_id;
  for (const chat::OutgoingMessage& message : messages) {
    const auto method = message_method(message);
    const ApiResponse response = client_.call(method, message_body(message), limits_.call_timeout);
    if (response.ok) {
      if (!first_message_id) first_message_id = parse_message_id(response.result);
      continue;
    }
    const bool unchanged_edit = message.edit_message_id && response.error_code == 400 &&
                                response.description.find("not modified") != std::string::npos;
    if (unchanged_edit) continue;
    if (response.error_code == 429) {
      const auto wait = response.retry_after.value_or(std::chrono::seconds{1});
      chat_ready_at_[notification.chat] = now + wait;
      auto transaction = deps_.transactions.begin();
      transaction->outbox().postpone(notification.id, now + wait);
      transaction->commit();
      spdlog::warn("telegram: 429 for chat {}, waiting {} s", notification.chat.value(),
                   wait.count());
      return Delivery::kRetryLater;
    }
    if (response.error_code == 403 || response.error_code == 400) {
      spdlog::error("telegram: {} refused for chat {} ({}): {}", method, notification.chat.value(),
                    response.error_code, response.description);
      const auto given_up = DeliveryService(deps_).give_up(
          notification, std::to_string(response.error_code) + ": " + response.description);
      if (!given_up) throw StorageError(StorageError::Kind::kUnavailable, given_up.error().detail);
      return Delivery::kGaveUp;
    }
    // 5xx, network: Telegram or the way to it is down; everything waits, backing off.
    outage_backoff_ =
        std::clamp(outage_backoff_ * 2, std::chrono::seconds{1}, limits_.max_outage_backoff);
    paused_until_ = now + outage_backoff_;
    spdlog::warn("telegram: {} failed for chat {} ({} {}), pausing sending for {} s", method,
                 notification.chat.value(), response.error_code, response.description,
                 outage_backoff_.count());
    auto transaction = deps_.transactions.begin();
    transaction->outbox().postpone(notification.id, paused_until_);
    transaction->commit();
    return Delivery::kRetryLater;
  }
  outage_backoff_ = std::chrono::seconds{0};
  auto transaction = deps_.transactions.begin();
  transaction->outbox().mark_sent(notification.id, now, first_message_id);
  transaction->commit();
  ++sent_;
  return Delivery::kSent;
}

std::chrono::milliseconds Sender::send_due() {
  const Instant now = deps_.clock.now();
  if (now < paused_until_) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_ - now) +
           std::chrono::milliseconds{1};
  }
  std::vector<Notification> due;
  {
    auto transaction = deps_.transactions.begin();
    due = transaction->outbox().pending(limits_.batch, now, instance_);
  }
  std::set<ChatId> held;  // a chat waits as a whole, so its messages keep their order
  std::chrono::milliseconds nap = kIdleNap;
  for (const Notification& notification : due) {
    const Instant at = deps_.clock.now();
    if (held.contains(notification.chat) || !chat_ready(notification.chat, at)) {
      held.insert(notification.chat);
      if (const auto ready = chat_ready_at_.find(notification.chat);
          ready != chat_ready_at_.end()) {
        nap = std::min(nap,
                       std::chrono::duration_cast<std::chrono::milliseconds>(ready->second - at));
      }
      continue;
    }
    if (!take_token(at)) {
      const auto per_message =
          std::chrono::milliseconds{static_cast<long long>(1000.0 / limits_.messages_per_second)};
      return std::max(std::chrono::milliseconds{1}, per_message);
    }
    const Delivery delivery = deliver(notification, at);
    if (delivery == Delivery::kSent) {
      // Counted from Telegram's answer, not from the request: the gap it sees is what counts.
      note_sent_to(notification.chat, deps_.clock.now());
    } else {
      held.insert(notification.chat);
    }
    if (deps_.clock.now() < paused_until_) return send_due();  // the pause's own nap
  }
  if (due.size() == limits_.batch) nap = std::chrono::milliseconds{0};
  return std::max(std::chrono::milliseconds{0}, nap);
}

void Sender::notify() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Sender::run(const std::stop_token& stop) {
  const std::stop_callback abort_call(stop, [this] { client_.cancel(); });
  while (!stop.stop_requested()) {
    std::chrono::milliseconds nap = kIdleNap;
    try {
      nap = send_due();
    } catch (const StorageError& error) {
      spdlog::error("sender: the database is unavailable: {}", error.what());
      nap = std::chrono::milliseconds{1000};
    }
    std::unique_lock lock(wake_mutex_);
    if (nap.count() > 0) {
      wake_.wait_for(lock, stop, nap, [&] { return woken_; });
    }
    woken_ = false;
  }
}

}  // namespace lottery::telegram
