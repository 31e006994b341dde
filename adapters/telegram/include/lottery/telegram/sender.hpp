#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
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
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Sends what is due and allowed now; returns when it would have to wait. Returns
  // how long until something may be due (bounded), for the worker's nap.
  std::chrono::milliseconds send_due();

  // Runs until stopped, woken by notify() when new messages are queued, or until
  // Telegram refuses the token (401).
  SenderEnd run(const std::stop_token& stop);
  void notify();

  // Counters for tests and logs.
  [[nodiscard]] std::uint64_t sent() const;
  // When the loop last went round (health: a sender stuck for minutes is not alive).
  [[nodiscard]] std::chrono::steady_clock::time_point last_round() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::telegram
