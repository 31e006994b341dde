#include "lottery/telegram/long_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>
#include <variant>

#include "worker_pool.hpp"

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
    log_handled(update, *outcome);
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

void log_handled(const ParsedUpdate& update, const chat::UpdateOutcome& outcome) {
  if (!spdlog::should_log(spdlog::level::debug) || !update.event) return;
  const std::string what = std::visit(
      [](const auto& event) {
        using Event = std::decay_t<decltype(event)>;
        if constexpr (std::is_same_v<Event, chat::IncomingMessage>) {
          return fmt::format("{} from user {} in chat {}", event.contact ? "contact" : "message",
                             event.from.id.value(), event.chat.value());
        } else {
          return fmt::format("button from user {}", event.from.id.value());
        }
      },
      *update.event);
  spdlog::debug("update {}: {}: {}, {} message(s) queued{}", update.update_id, what,
                outcome.duplicate ? "handled before, nothing done" : "handled", outcome.queued,
                outcome.answer ? ", button answered" : "");
}

LongPoller::LongPoller(ApiClient& client, chat::ChatBot& chat, std::function<void()> on_queued,
                       std::chrono::seconds timeout, std::size_t workers,
                       std::function<std::unique_ptr<ApiClient>()> make_client)
    : client_(client),
      chat_(chat),
      on_queued_(std::move(on_queued)),
      timeout_(timeout),
      workers_(make_client ? std::max<std::size_t>(1, workers) : 1),
      make_client_(std::move(make_client)) {}

LongPoller::~LongPoller() = default;

namespace {

// The key that orders updates: the chat, or the person pressing a button in a
// message too old for Telegram to name its chat.
std::int64_t order_key(const ParsedUpdate& update) {
  if (!update.event) return 0;
  return std::visit(
      [](const auto& event) -> std::int64_t {
        using Event = std::decay_t<decltype(event)>;
        if constexpr (std::is_same_v<Event, chat::IncomingMessage>) {
          return event.chat.value();
        } else {
          return event.chat ? event.chat->value() : event.from.id.value();
        }
      },
      *update.event);
}

}  // namespace

bool LongPoller::apply_batch(const std::vector<ParsedUpdate>& updates,
                             const std::stop_token& stop) {
  std::vector<const ParsedUpdate*> fresh;
  for (const ParsedUpdate& update : updates) {
    if (update.update_id >= offset_) fresh.push_back(&update);
  }
  if (fresh.empty()) return true;
  // The chats of the batch, each with its updates in order.
  std::vector<std::vector<const ParsedUpdate*>> chats;
  std::map<std::int64_t, std::size_t> chat_of;
  for (const ParsedUpdate* update : fresh) {
    const auto [slot, added] = chat_of.try_emplace(order_key(*update), chats.size());
    if (added) chats.emplace_back();
    chats[slot->second].push_back(update);
  }
  std::vector<std::int64_t> failed(chats.size(), -1);  // per chat: the update to retry
  // A chat's updates in order, on one client; stops at the first that must come again.
  const auto handle_chat = [&](ApiClient& client, std::size_t index) {
    for (const ParsedUpdate* update : chats[index]) {
      if (stop.stop_requested() || !apply_update(*update, chat_, client, on_queued_)) {
        failed[index] = update->update_id;
        return;
      }
    }
  };
  if (workers_ <= 1 || chats.size() <= 1) {
    for (std::size_t index = 0; index < chats.size(); ++index) handle_chat(client_, index);
  } else {
    if (!pool_) {
      // Made once, on the first batch with several chats: kept for the next ones.
      while (worker_clients_.size() < workers_) worker_clients_.push_back(make_client_());
      pool_ = std::make_unique<WorkerPool>(workers_);
    }
    pool_->run(chats.size(), [&](std::size_t worker, std::size_t index) {
      handle_chat(*worker_clients_[worker], index);
    });
  }
  std::int64_t retry_from = -1;
  for (const std::int64_t id : failed) {
    if (id >= 0 && (retry_from < 0 || id < retry_from)) retry_from = id;
  }
  offset_ = retry_from >= 0 ? retry_from : fresh.back()->update_id + 1;
  return retry_from < 0 || stop.stop_requested();
}

PollingEnd LongPoller::run(const std::stop_token& stop) {
  const std::stop_callback abort_poll(stop, [this] { client_.cancel(); });
  std::chrono::milliseconds backoff{500};
  // Short enough that the bot is back within seconds of Telegram (or the network).
  constexpr std::chrono::milliseconds kMaxBackoff{8000};
  while (!stop.stop_requested()) {
    last_round_ = std::chrono::steady_clock::now().time_since_epoch().count();
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
      if (response.error_code == 401) {
        spdlog::critical(
            "telegram: 401 Unauthorized on getUpdates: the bot token was revoked or is wrong; "
            "set TELEGRAM_BOT_TOKEN to the bot's current token ({})",
            response.description);
        return PollingEnd::kUnauthorized;
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
    if (!apply_batch(parse_updates(response.result), stop)) {
      // Not committed: keep the offset, so Telegram delivers it again.
      nap(stop, std::chrono::seconds{1});
    }
  }
  return PollingEnd::kStopped;
}

}  // namespace lottery::telegram
