#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>

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
  // How long a message being sent stays this sender's (other instances skip it); a
  // call never outlasts it, so no lease ends while its message is in flight.
  std::chrono::seconds lease{120};
  std::chrono::seconds call_timeout{20};
  // Network errors and 5xx pause all sending, doubling from 1 s up to this.
  std::chrono::seconds max_outage_backoff{8};
};

// Drains the outbox into Telegram, keeping under the limits. Each message is leased
// to this sender (named by `instance`, unique among the instances sharing the
// database) before it is sent, so two instances never send the same one, and marked
// sent only after Telegram accepted it. On 429 that chat waits retry_after; 5xx and
// network errors pause sending with backoff; 403 gives up, audits it and tells the
// admins; any other 400 is logged with its method and not retried.
class Sender {
 public:
  // Takes back the leases a previous run of `instance` left (it died while sending).
  Sender(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits,
         std::string instance);

  // Sends what is due and allowed now; returns when it would have to wait. Returns
  // how long until something may be due (bounded), for the worker's nap.
  std::chrono::milliseconds send_due();

  // Runs until stopped, woken by notify() when new messages are queued.
  void run(const std::stop_token& stop);
  void notify();

  // Counters for tests and logs.
  std::uint64_t sent() const { return sent_; }

 private:
  enum class Delivery { kSent, kRetryLater, kGaveUp, kTakenElsewhere };
  Delivery deliver(const Notification& notification, Instant now);
  bool chat_ready(ChatId chat, Instant now) const;
  void note_sent_to(ChatId chat, Instant now);
  bool take_token(Instant now);

  ApiClient& client_;
  chat::ChatBot& chat_;
  Dependencies deps_;
  SendLimits limits_;
  std::string instance_;
  std::chrono::seconds outage_backoff_{0};
  Instant paused_until_{};
  std::map<ChatId, Instant> chat_ready_at_;
  double tokens_;
  Instant tokens_at_{};
  std::uint64_t sent_{0};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_{false};
};

}  // namespace lottery::telegram
