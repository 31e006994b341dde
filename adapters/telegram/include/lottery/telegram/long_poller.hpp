#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stop_token>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/telegram/api_client.hpp"

namespace lottery::telegram {

// Applies one parsed update; shared by long polling and the webhook. The callback
// answer, if any, is sent right away. Returns false when the update must be tried
// again later (the database is unavailable); an update that cannot be handled for
// any other reason is logged and counts as handled, so it is never retried forever.
bool apply_update(const ParsedUpdate& update, chat::ChatBot& chat, ApiClient& client,
                  const std::function<void()>& on_queued);

// Sleeps for `length`, or less when `stop` is requested first.
void nap(const std::stop_token& stop, std::chrono::milliseconds length);

enum class PollingEnd { kStopped, kConflict };

// getUpdates in a loop. An update is acknowledged (the next offset) only after its
// effects are committed. Network errors back off exponentially up to a minute;
// a 409 (another instance polls, or a webhook is set) ends polling.
class LongPoller {
 public:
  LongPoller(ApiClient& client, chat::ChatBot& chat, std::function<void()> on_queued,
             std::chrono::seconds timeout = std::chrono::seconds{25});

  PollingEnd run(const std::stop_token& stop);

 private:
  ApiClient& client_;
  chat::ChatBot& chat_;
  std::function<void()> on_queued_;
  std::chrono::seconds timeout_;
  std::int64_t offset_{0};
};

}  // namespace lottery::telegram
