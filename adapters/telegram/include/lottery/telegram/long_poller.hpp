#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/telegram/api_client.hpp"

namespace lottery::telegram {

class WorkerPool;

// Applies one parsed update; shared by long polling and the webhook. The callback
// answer, if any, is sent right away. Returns false when the update must be tried
// again later (the database is unavailable); an update that cannot be handled for
// any other reason is logged and counts as handled, so it is never retried forever.
bool apply_update(const ParsedUpdate& update, chat::ChatBot& chat, ApiClient& client,
                  const std::function<void()>& on_queued);

// Logs (at debug level) how an update was handled: its kind, the user's and the chat's
// ids, what was queued; no names, texts or phone numbers.
void log_handled(const ParsedUpdate& update, const chat::UpdateOutcome& outcome);

// Sleeps for `length`, or less when `stop` is requested first.
void nap(const std::stop_token& stop, std::chrono::milliseconds length);

enum class PollingEnd { kStopped, kConflict, kUnauthorized };

// getUpdates in a loop. An update is acknowledged (the next offset) only after its
// effects are committed. Network errors back off exponentially up to 8 s; a 409
// (another instance polls, or a webhook is set) and a 401 (the token was revoked) end
// polling.
//
// With several workers, the updates of one getUpdates answer are handled concurrently
// across chats, and in order within each chat (a chat's updates all go to one worker).
// Each worker answers button presses on a client of its own, made by `make_client`.
// When an update cannot be committed, the offset stays at it: the updates after it that
// were handled meanwhile come back and are recognised as duplicates.
class LongPoller {
 public:
  LongPoller(ApiClient& client, chat::ChatBot& chat, std::function<void()> on_queued,
             std::chrono::seconds timeout = std::chrono::seconds{25}, std::size_t workers = 1,
             std::function<std::unique_ptr<ApiClient>()> make_client = {});

  ~LongPoller();
  LongPoller(const LongPoller&) = delete;
  LongPoller& operator=(const LongPoller&) = delete;

  PollingEnd run(const std::stop_token& stop);

  // When the loop last went round (health: a poller stuck for minutes is not alive).
  [[nodiscard]] std::chrono::steady_clock::time_point last_round() const {
    return std::chrono::steady_clock::time_point{
        std::chrono::steady_clock::duration{last_round_.load()}};
  }

 private:
  // Applies a batch; returns false when some update must come again.
  bool apply_batch(const std::vector<ParsedUpdate>& updates, const std::stop_token& stop);

  ApiClient& client_;
  chat::ChatBot& chat_;
  std::function<void()> on_queued_;
  std::chrono::seconds timeout_;
  std::size_t workers_;
  std::function<std::unique_ptr<ApiClient>()> make_client_;
  std::vector<std::unique_ptr<ApiClient>> worker_clients_;
  std::unique_ptr<WorkerPool> pool_;  // the workers, made once
  std::int64_t offset_{0};
  std::atomic<std::chrono::steady_clock::rep> last_round_{
      std::chrono::steady_clock::now().time_since_epoch().count()};
};

}  // namespace lottery::telegram
