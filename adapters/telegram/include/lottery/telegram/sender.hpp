#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

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
  // How many chats' first messages are looked at per round (a chat waiting for its
  // interval must not hide the others).
  std::size_t batch{500};
  // Messages of different chats in flight at once, each on its own connection.
  std::size_t workers{4};
  // How long a message being sent stays this sender's (other instances skip it); a
  // call never outlasts it, so no lease ends while its message is in flight.
  std::chrono::seconds lease{120};
  std::chrono::seconds call_timeout{20};
  // Network errors and 5xx pause all sending, doubling from 1 s up to this.
  std::chrono::seconds max_outage_backoff{8};
};

// What a Bot API answer means for the message it answered.
enum class AnswerMeaning {
  kDelivered,     // accepted, or an edit that would change nothing
  kRateLimited,   // 429: that chat waits retry_after
  kOutage,        // 5xx, a network error, an answer that is not Telegram's: all sending pauses
  kRefused,       // any other 4xx (400, 403, 404, 413...): that message can never go
  kUnauthorized,  // 401: the token was revoked; the bot must stop
};
[[nodiscard]] AnswerMeaning classify_answer(const ApiResponse& response, bool edit);

enum class SenderEnd { kStopped, kUnauthorized };

// Drains the outbox into Telegram, keeping under the limits. Each message is leased
// to this sender (named by `instance`, unique among the instances sharing the
// database) before it is sent, so two instances never send the same one, and marked
// sent only after Telegram accepted it. Each answer is classified (classify_answer): on
// 429 that chat waits retry_after; 5xx and network errors pause sending with backoff;
// any other 4xx gives that message up (audited; the admins are told when it was about
// a win, see DeliveryService), and a 403 also drops the chat's queued replies; a 401
// stops the sender, leaving the message queued.
//
// With `make_client`, up to `limits.workers` messages of different chats are sent at
// once (Telegram answers in tens of milliseconds, so one at a time caps a bot at a few
// dozen messages a second); the pacing is decided before they go out, as for one.
class Sender {
 public:
  // Takes back the leases a previous run of `instance` left (it died while sending),
  // and goes on editing the progress messages of draws still being announced.
  Sender(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits,
         std::string instance, std::function<std::unique_ptr<ApiClient>()> make_client = {});

  // Sends what is due and allowed now; returns when it would have to wait. Returns
  // how long until something may be due (bounded), for the worker's nap.
  std::chrono::milliseconds send_due();

  // Runs until stopped, woken by notify() when new messages are queued, or until
  // Telegram refuses the token (401).
  SenderEnd run(const std::stop_token& stop);
  void notify();

  // Counters for tests and logs.
  std::uint64_t sent() const { return sent_.load(); }
  // When the loop last went round (health: a sender stuck for minutes is not alive).
  [[nodiscard]] std::chrono::steady_clock::time_point last_round() const {
    return std::chrono::steady_clock::time_point{
        std::chrono::steady_clock::duration{last_round_.load()}};
  }

 private:
  enum class Delivery { kSent, kRetryLater, kGaveUp, kTakenElsewhere };
  // Sends one leased message (its lease ends at `leased_until`) and records the outcome.
  Delivery deliver(ApiClient& client, const Notification& notification, Instant now,
                   Instant leased_until);
  // Renews the message's lease if a call could outlast it; false when another sender
  // has it now.
  bool renew_lease(const Notification& notification, Instant& leased_until);
  void record_sent(const Notification& notification,
                   const std::vector<chat::OutgoingMessage>& messages,
                   std::optional<std::int64_t> first_message_id, Instant now);
  // What an answer that is not a delivery means for the message (classify_answer).
  Delivery not_delivered(const Notification& notification, std::string_view method,
                         const ApiResponse& response, AnswerMeaning meaning, Instant now);
  // Pauses all sending (or joins a pause under way); returns when it ends.
  Instant pause_for_outage(std::string_view method, const Notification& notification,
                           const ApiResponse& response, Instant now);
  bool chat_ready(ChatId chat, Instant now) const;
  void note_sent_to(ChatId chat, Instant now);
  bool take_token(Instant now);
  std::chrono::milliseconds until_next_token(Instant at) const;
  // Edits the progress messages this sender posted, at most every two seconds each.
  void update_progress(Instant now);
  // Sends `chosen` (one message per chat) on the workers; returns each one's outcome.
  std::vector<Delivery> deliver_all(const std::vector<Notification>& chosen, Instant now);

  ApiClient& client_;
  std::function<std::unique_ptr<ApiClient>()> make_client_;
  std::vector<std::unique_ptr<ApiClient>> worker_clients_;
  std::mutex state_mutex_;  // guards what deliver() changes from several workers
  chat::ChatBot& chat_;
  Dependencies deps_;
  SendLimits limits_;
  std::string instance_;
  std::chrono::seconds outage_backoff_{0};
  Instant paused_until_{};
  std::map<ChatId, Instant> chat_ready_at_;
  // The draws' progress messages this sender posted and still edits, by lottery.
  struct ProgressPost {
    Notification notification;
    std::int64_t message_id{0};
    std::string shown;
    Instant edited_at{};
  };
  std::map<LotteryId, ProgressPost> progress_posts_;
  double tokens_;
  Instant tokens_at_{};
  std::atomic<std::uint64_t> sent_{0};
  std::atomic<bool> unauthorized_{false};
  std::atomic<std::chrono::steady_clock::rep> last_round_{
      std::chrono::steady_clock::now().time_since_epoch().count()};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_{false};
};

}  // namespace lottery::telegram
