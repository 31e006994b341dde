#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/telegram/api_client.hpp"

namespace lottery::telegram {

// Telegram's limits (about 30 messages a second overall, one a second per chat,
// 20 a minute per group), configurable.
struct SendLimits {
  double messages_per_second{30.0};
  std::chrono::milliseconds per_chat_interval{1000};
  std::chrono::milliseconds per_group_interval{3000};
  std::size_t batch{100};
};

// Drains the outbox into Telegram, keeping under the limits. A message is marked
// sent only after Telegram accepted it. On 429 that chat waits retry_after; 5xx and
// network errors retry with backoff; 403 gives up, audits it and tells the admins;
// any other 400 is logged with its method and not retried.
class Sender {
 public:
  Sender(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits);

  // Sends what is due and allowed now; returns when it would have to wait. Returns
  // how long until something may be due (bounded), for the worker's nap.
  std::chrono::milliseconds send_due();

  // Runs until stopped, woken by notify() when new messages are queued.
  void run(const std::stop_token& stop);
  void notify();

  // Counters for tests and logs.
  std::uint64_t sent() const { return sent_; }

 private:
  enum class Delivery { kSent, kRetryLater, kGaveUp };
  Delivery deliver(const Notification& notification, Instant now);
  bool chat_ready(ChatId chat, Instant now) const;
  void note_sent_to(ChatId chat, Instant now);
  bool take_token(Instant now);

  ApiClient& client_;
  chat::ChatBot& chat_;
  Dependencies deps_;
  SendLimits limits_;
  std::map<ChatId, Instant> chat_ready_at_;
  double tokens_;
  Instant tokens_at_{};
  std::uint64_t sent_{0};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_{false};
};

}  // namespace lottery::telegram
