#include "lottery/telegram/long_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lottery::telegram {

void nap(const std::stop_token& stop, std::chrono::milliseconds length) {
  std::mutex mutex;
  std::condition_variable_any never;
  std::unique_lock lock(mutex);
  never.wait_for(lock, stop, length, [] { return false; });
}

bool apply_update(const ParsedUpdate& update, chat::ChatBot& chat, ApiClient& client,
                  const std::function<void()>& on_queued) {
  if (!update.event) {
    spdlog::debug("update {}: nothing for the bot, skipped", update.update_id);
    return true;
  }
  try {
    const auto outcome = chat.handle(update.update_id, *update.event);
    if (!outcome) {
      const auto code = outcome.error().code;
      if (code == ErrorCode::kStorageUnavailable || code == ErrorCode::kConflict) {
        spdlog::error("update {}: the database is {}, will retry: {}", update.update_id,
                      code == ErrorCode::kConflict ? "busy" : "unavailable",
                      outcome.error().detail);
        return false;
      }
      spdlog::error("update {}: not handled ({}), skipped", update.update_id,
                    to_string(outcome.error().code));
      return true;
    }
    if (outcome->queued > 0 && on_queued) on_queued();
    if (outcome->answer) {
      const auto answered =
          client.call("answerCallbackQuery", answer_callback_body(*outcome->answer));
      if (!answered.ok) {
        spdlog::warn("update {}: answerCallbackQuery failed: {}", update.update_id,
                     answered.description);
      }
    }
    return true;
  } catch (const std::exception& error) {
    spdlog::error("update {}: failed ({}), skipped", update.update_id, error.what());
    return true;
  }
}

LongPoller::LongPoller(ApiClient& client, chat::ChatBot& chat, std::function<void()> on_queued,
                       std::chrono::seconds timeout)
    : client_(client), chat_(chat), on_queued_(std::move(on_queued)), timeout_(timeout) {}

PollingEnd LongPoller::run(const std::stop_token& stop) {
  const std::stop_callback abort_poll(stop, [this] { client_.cancel(); });
  std::chrono::milliseconds backoff{500};
  // Short enough that the bot is back within seconds of Telegram (or the network).
  constexpr std::chrono::milliseconds kMaxBackoff{8000};
  while (!stop.stop_requested()) {
    const ApiResponse response = client_.call("getUpdates", get_updates_body(offset_, timeout_),
                                              timeout_ + std::chrono::seconds{10});
    if (stop.stop_requested()) break;
    if (!response.ok) {
      if (response.error_code == 409) {
        spdlog::critical(
            "telegram: 409 Conflict on getUpdates: another bot instance is polling with this "
            "token, or a webhook is set; stop the other instance, or call deleteWebhook to "
            "switch to polling ({})",
            response.description);
        return PollingEnd::kConflict;
      }
      const auto wait =
          response.retry_after
              ? std::chrono::duration_cast<std::chrono::milliseconds>(*response.retry_after)
              : backoff;
      spdlog::warn("telegram: getUpdates failed ({} {}), retrying in {} ms", response.error_code,
                   response.description, wait.count());
      nap(stop, wait);
      backoff = std::min(kMaxBackoff, backoff * 2);
      continue;
    }
    backoff = std::chrono::milliseconds{500};
    for (const ParsedUpdate& update : parse_updates(response.result)) {
      if (update.update_id < offset_) continue;
      if (!apply_update(update, chat_, client_, on_queued_)) {
        // Not committed: keep the offset, so Telegram delivers it again.
        nap(stop, std::chrono::seconds{1});
        break;
      }
      offset_ = update.update_id + 1;
      if (stop.stop_requested()) break;  // finish the update in hand, then stop
    }
  }
  return PollingEnd::kStopped;
}

}  // namespace lottery::telegram
