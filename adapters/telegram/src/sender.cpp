#include "lottery/telegram/sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "lottery/core/delivery_service.hpp"
#include "lottery/ports/storage_error.hpp"
#include "worker_pool.hpp"

namespace lottery::telegram {
namespace {

// The slowest upload a document is given time for: 256 KiB/s, so an entry list of
// 28 MB has 110 s on top of the usual deadline.
constexpr std::size_t kSlowestUpload = 256U * 1024;

constexpr std::chrono::milliseconds kIdleNap{1000};
// How often a draw's progress message is edited: under Telegram's one a second per chat.
constexpr std::chrono::milliseconds kProgressInterval{2000};

bool is_group(ChatId chat) { return chat.value() < 0; }

// FNV-1a over what the messages say and do: equal for equal renderings, in any build.
std::int64_t digest_of(const std::vector<chat::OutgoingMessage>& messages) {
  std::uint64_t hash = 14695981039346656037ULL;
  const auto add = [&hash](std::string_view bytes) {
    for (const char byte : bytes) {
      hash ^= static_cast<unsigned char>(byte);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xFFU;  // a separator, so ("ab", "c") and ("a", "bc") differ
    hash *= 1099511628211ULL;
  };
  for (const chat::OutgoingMessage& message : messages) {
    add(message.html);
    add(std::to_string(message.edit_message_id.value_or(0)));
    if (message.document) {
      add(message.document->file_name);
      add(message.document->content);
    }
  }
  return static_cast<std::int64_t>(hash);
}

}  // namespace

AnswerMeaning classify_answer(const ApiResponse& response, bool edit) {
  if (response.ok) return AnswerMeaning::kDelivered;
  const int code = response.error_code;
  if (edit && code == 400 && response.description.find("not modified") != std::string::npos) {
    return AnswerMeaning::kDelivered;
  }
  if (code == 401) return AnswerMeaning::kUnauthorized;
  if (code == 429) return AnswerMeaning::kRateLimited;
  if (code >= 400 && code < 500) return AnswerMeaning::kRefused;
  return AnswerMeaning::kOutage;
}

struct Sender::Impl {
  Impl(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits,
       std::string instance, std::function<std::unique_ptr<ApiClient>()> make_client);
  std::chrono::milliseconds send_due();
  SenderEnd run(const std::stop_token& stop);
  void notify();

  enum class Delivery { kSent, kRetryLater, kGaveUp, kTakenElsewhere };
  // Sends one leased message (its lease ends at `leased_until`) and records the outcome.
  Delivery deliver(ApiClient& client, const Notification& notification, Instant now,
                   Instant leased_until);
  // Renews the message's lease if a call could outlast it; false when another sender
  // has it now.
  bool renew_lease(const Notification& notification, Instant& leased_until,
                   std::chrono::seconds call);
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
  // The workers, made once: each round of messages is handed to them.
  std::unique_ptr<WorkerPool> pool_;
  std::atomic<bool> unauthorized_{false};
  std::atomic<std::chrono::steady_clock::rep> last_round_{
      std::chrono::steady_clock::now().time_since_epoch().count()};
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_{false};
};

Sender::Impl::Impl(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies,
                   SendLimits limits, std::string instance,
                   std::function<std::unique_ptr<ApiClient>()> make_client)
    : client_(client),
      make_client_(std::move(make_client)),
      chat_(chat),
      deps_(std::move(dependencies)),
      limits_(limits),
      instance_(std::move(instance)),
      tokens_(1.0) {
  // Made here, once: run()'s stop callback cancels them from another thread.
  if (make_client_) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, limits_.workers); ++i) {
      worker_clients_.push_back(make_client_());
    }
    pool_ = std::make_unique<WorkerPool>(worker_clients_.size());
  }
  try {
    auto transaction = deps_.transactions.begin();
    transaction->outbox().release_leases(instance_);
    // The progress messages of draws still being announced, posted by a run that died
    // (or by another instance): edited from here on, so none stays frozen mid-count.
    // Those of the last hour only: a rollout takes minutes, while a redraw or a linked
    // account can add a winner's message to a draw of long ago.
    const Instant recent = deps_.clock.now() - std::chrono::hours{1};
    for (const SentNotification& post : transaction->outbox().unfinished_progress_posts(recent)) {
      if (post.notification.lottery) {
        progress_posts_[*post.notification.lottery] =
            ProgressPost{post.notification, post.message_id, std::string{}, Instant{}};
      }
    }
    transaction->commit();
  } catch (const StorageError& error) {
    // Not fatal: the leases end by themselves, and the database may come back later.
    spdlog::warn("sender: cannot take back earlier leases: {}", error.what());
  }
}

bool Sender::Impl::chat_ready(ChatId chat, Instant now) const {
  const auto found = chat_ready_at_.find(chat);
  return found == chat_ready_at_.end() || found->second <= now;
}

void Sender::Impl::note_sent_to(ChatId chat, Instant now) {
  chat_ready_at_[chat] =
      now + (is_group(chat) ? limits_.per_group_interval : limits_.per_chat_interval);
}

// A token bucket holding at most a twentieth of a second's worth (one token at
// Telegram's 30 a second): messages are paced evenly, so no window of a second ever
// holds more than the rate and that fraction.
bool Sender::Impl::take_token(Instant now) {
  const double elapsed = std::chrono::duration<double>(now - tokens_at_).count();
  const double capacity = std::max(1.0, std::floor(limits_.messages_per_second / 20.0));
  tokens_ = std::min(capacity, tokens_ + elapsed * limits_.messages_per_second);
  tokens_at_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

bool Sender::Impl::renew_lease(const Notification& notification, Instant& leased_until,
                               std::chrono::seconds call) {
  if (deps_.clock.now() + call < leased_until) return true;
  // The round, or this message's parts, ran long, or the next call may be long (an
  // upload): renewed first, so no lease ends while a call is out.
  const Instant renewed_at = deps_.clock.now();
  const Instant until = renewed_at + std::max(limits_.lease, call + limits_.call_timeout);
  auto transaction = deps_.transactions.begin();
  if (!transaction->outbox().lease(notification.id, renewed_at, instance_, until)) {
    return false;
  }
  transaction->commit();
  leased_until = until;
  return true;
}

Sender::Impl::Delivery Sender::Impl::deliver(ApiClient& client, const Notification& notification,
                                             Instant now, Instant leased_until) {
  const auto messages = chat_.render(notification);
  std::optional<std::int64_t> first_message_id;
  // The parts an earlier attempt sent are not sent again, if the message still reads
  // the same: one rendered from live data (results after a redraw) goes out whole.
  const std::int64_t digest = digest_of(messages);
  const std::size_t first_part =
      notification.parts_sent > 0 && notification.parts_digest == digest &&
              static_cast<std::size_t>(notification.parts_sent) < messages.size()
          ? static_cast<std::size_t>(notification.parts_sent)
          : 0;
  for (std::size_t part = first_part; part < messages.size(); ++part) {
    const chat::OutgoingMessage& message = messages[part];
    // A document (an entry list of tens of megabytes) gets time for its upload.
    const std::chrono::seconds call =
        limits_.call_timeout +
        std::chrono::seconds{message.document ? message.document->content.size() / kSlowestUpload
                                              : 0};
    if (!renew_lease(notification, leased_until, call)) return Delivery::kTakenElsewhere;
    const auto method = message_method(message);
    const ApiResponse response =
        client.call(method, message_body(message), call, message_content_type(message));
    if (response.ok) {
      if (part == 0) first_message_id = parse_message_id(response.result);
      if (part + 1 < messages.size()) {
        // Recorded part by part: a retry, or another sender after a crash, goes on
        // from the next part.
        auto transaction = deps_.transactions.begin();
        transaction->outbox().mark_parts_sent(notification.id, static_cast<int>(part + 1),
                                              first_message_id, digest);
        transaction->commit();
      }
      continue;
    }
    const AnswerMeaning meaning = classify_answer(response, message.edit_message_id.has_value());
    if (meaning != AnswerMeaning::kDelivered) {
      return not_delivered(notification, method, response, meaning, now);
    }
  }
  record_sent(notification, messages, first_message_id, now);
  return Delivery::kSent;
}

void Sender::Impl::record_sent(const Notification& notification,
                               const std::vector<chat::OutgoingMessage>& messages,
                               std::optional<std::int64_t> first_message_id, Instant now) {
  {
    const std::lock_guard lock(state_mutex_);
    outage_backoff_ = std::chrono::seconds{0};
    if (notification.kind == NotificationKind::kDrawProgress && notification.lottery &&
        first_message_id && !messages.empty()) {
      progress_posts_[*notification.lottery] =
          ProgressPost{notification, *first_message_id, messages.front().html, now};
    }
  }
  const auto recorded = DeliveryService(deps_).record_sent(notification, first_message_id);
  if (!recorded) throw StorageError(StorageError::Kind::kUnavailable, recorded.error().detail);
  ++sent_;
}

Sender::Impl::Delivery Sender::Impl::not_delivered(const Notification& notification,
                                                   std::string_view method,
                                                   const ApiResponse& response,
                                                   AnswerMeaning meaning, Instant now) {
  Instant retry_at = now;
  switch (meaning) {
    case AnswerMeaning::kDelivered:
      return Delivery::kSent;
    case AnswerMeaning::kRefused: {
      spdlog::error("telegram: {} refused for chat {} ({}): {}", method, notification.chat.value(),
                    response.error_code, response.description);
      const auto given_up = DeliveryService(deps_).give_up(
          notification, std::to_string(response.error_code) + ": " + response.description,
          response.error_code == 403);
      if (!given_up) throw StorageError(StorageError::Kind::kUnavailable, given_up.error().detail);
      return Delivery::kGaveUp;
    }
    case AnswerMeaning::kRateLimited: {
      const auto wait = response.retry_after.value_or(std::chrono::seconds{1});
      retry_at = now + wait;
      const std::lock_guard lock(state_mutex_);
      chat_ready_at_[notification.chat] = retry_at;
      spdlog::warn("telegram: 429 for chat {}, waiting {} s", notification.chat.value(),
                   wait.count());
      break;
    }
    case AnswerMeaning::kUnauthorized: {
      // The message stays queued for the bot that comes back with a valid token.
      unauthorized_ = true;
      const std::lock_guard lock(state_mutex_);
      paused_until_ = now + std::chrono::hours{1};  // the bot stops meanwhile
      break;
    }
    case AnswerMeaning::kOutage:
      retry_at = pause_for_outage(method, notification, response, now);
      break;
  }
  auto transaction = deps_.transactions.begin();
  transaction->outbox().postpone(notification.id, retry_at);
  transaction->commit();
  return Delivery::kRetryLater;
}

// 5xx, network: Telegram or the way to it is down; everything waits, backing off.
Instant Sender::Impl::pause_for_outage(std::string_view method, const Notification& notification,
                                       const ApiResponse& response, Instant now) {
  const std::lock_guard lock(state_mutex_);
  if (paused_until_ <= now) {  // the first of the workers to see the outage backs off
    outage_backoff_ =
        std::clamp(outage_backoff_ * 2, std::chrono::seconds{1}, limits_.max_outage_backoff);
    paused_until_ = now + outage_backoff_;
    spdlog::warn("telegram: {} failed for chat {} ({} {}), pausing sending for {} s", method,
                 notification.chat.value(), response.error_code, response.description,
                 outage_backoff_.count());
  }
  return paused_until_;
}

std::vector<Sender::Impl::Delivery> Sender::Impl::deliver_all(
    const std::vector<Notification>& chosen, Instant now) {
  std::vector<Delivery> outcomes(chosen.size(), Delivery::kRetryLater);
  // The round's messages are leased in one transaction, not one each: another instance
  // skips them from here on.
  const Instant leased_until = now + limits_.lease;
  std::vector<bool> leased(chosen.size(), false);
  {
    std::vector<NotificationId> ids;
    ids.reserve(chosen.size());
    for (const Notification& notification : chosen) ids.push_back(notification.id);
    auto transaction = deps_.transactions.begin();
    const auto taken = transaction->outbox().lease_all(ids, now, instance_, leased_until);
    transaction->commit();
    const std::set<NotificationId> ours(taken.begin(), taken.end());
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      leased[i] = ours.contains(chosen[i].id);
      if (!leased[i]) outcomes[i] = Delivery::kTakenElsewhere;
    }
  }
  if (!pool_ || chosen.size() <= 1) {
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      if (!leased[i]) continue;
      outcomes[i] = deliver(client_, chosen[i], now, leased_until);
      if (deps_.clock.now() < paused_until_) break;  // an outage: the rest waits
    }
    return outcomes;
  }
  pool_->run(chosen.size(), [&](std::size_t worker, std::size_t i) {
    if (!leased[i]) return;
    {
      const std::lock_guard lock(state_mutex_);
      if (deps_.clock.now() < paused_until_) return;  // an outage: the rest waits
    }
    outcomes[i] = deliver(*worker_clients_[worker], chosen[i], now, leased_until);
  });
  return outcomes;
}

void Sender::Impl::update_progress(Instant now) {
  for (auto post = progress_posts_.begin(); post != progress_posts_.end();) {
    ProgressPost& progress = post->second;
    if (now - progress.edited_at < kProgressInterval) {
      ++post;
      continue;
    }
    progress.edited_at = now;
    // Counted before rendering: the text then shows at least this much.
    const DeliveryProgress counts = [&] {
      auto transaction = deps_.transactions.begin();
      return transaction->outbox().progress(*progress.notification.lottery,
                                            NotificationKind::kWinnerDrawn);
    }();
    const bool finished = counts.sent + counts.failed >= counts.total;
    const auto rendered = chat_.render(progress.notification);
    if (rendered.empty()) {
      post = progress_posts_.erase(post);
      continue;
    }
    chat::OutgoingMessage edit = rendered.front();
    if (edit.html != progress.shown) {
      edit.edit_message_id = progress.message_id;
      // A lost edit is harmless: the next one, or the last, shows the count.
      const ApiResponse response =
          client_.call(message_method(edit), message_body(edit), limits_.call_timeout);
      // A 400 (not modified, or the message deleted) will not change by trying again.
      if (response.ok || response.error_code == 400) progress.shown = edit.html;
      note_sent_to(edit.chat, now);
    }
    // Kept until the final count is shown (a failed last edit is tried again).
    post = finished && progress.shown == edit.html ? progress_posts_.erase(post) : std::next(post);
  }
}

std::chrono::milliseconds Sender::Impl::until_next_token(Instant at) const {
  const double elapsed = std::chrono::duration<double>(at - tokens_at_).count();
  const double missing = 1.0 - (tokens_ + elapsed * limits_.messages_per_second);
  const auto wait = std::chrono::duration<double, std::milli>(std::max(0.0, missing) * 1000.0 /
                                                              limits_.messages_per_second);
  // Rounded down: waking a little early costs one more look, waking late loses time.
  return std::max(std::chrono::milliseconds{1},
                  std::chrono::duration_cast<std::chrono::milliseconds>(wait));
}

std::chrono::milliseconds Sender::Impl::send_due() {
  const Instant now = deps_.clock.now();
  if (now < paused_until_) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_ - now) +
           std::chrono::milliseconds{1};
  }
  // Ask for no more than may go out now: at 30 a second that is one message a round.
  const double capacity = std::max(1.0, std::floor(limits_.messages_per_second / 20.0));
  const double available =
      std::min(capacity, tokens_ + std::chrono::duration<double>(now - tokens_at_).count() *
                                       limits_.messages_per_second);
  if (available < 1.0) return until_next_token(now);
  const auto limit = std::min(limits_.batch, static_cast<std::size_t>(available));

  // Chats still waiting for their interval are left out of the query, or their next
  // messages (the oldest) would fill every batch while other chats wait.
  std::vector<ChatId> waiting;
  auto first_ready = Instant::max();
  for (auto entry = chat_ready_at_.begin(); entry != chat_ready_at_.end();) {
    if (entry->second <= now) {
      entry = chat_ready_at_.erase(entry);
    } else {
      waiting.push_back(entry->first);
      first_ready = std::min(first_ready, entry->second);
      ++entry;
    }
  }
  std::vector<Notification> due;
  {
    auto transaction = deps_.transactions.begin();
    due = transaction->outbox().pending(limit, now, instance_, waiting);
  }
  // pending() gives each chat's first unsent message only: one per chat, in order.
  std::vector<Notification> chosen;
  for (const Notification& notification : due) {
    if (!take_token(now)) break;
    chosen.push_back(notification);
  }
  const auto outcomes = deliver_all(chosen, now);
  const Instant done = deps_.clock.now();
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    // Counted from Telegram's answer, not from the request: the gap it sees is what counts.
    if (outcomes[i] == Delivery::kSent) {
      note_sent_to(chosen[i].chat, done);
      first_ready = std::min(first_ready, chat_ready_at_[chosen[i].chat]);
    }
  }
  if (done < paused_until_) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(paused_until_ - done) +
           std::chrono::milliseconds{1};
  }
  update_progress(done);
  if (!progress_posts_.empty()) first_ready = std::min(first_ready, done + kProgressInterval);
  if (due.size() == limit) return std::chrono::milliseconds{0};  // there may be more
  if (first_ready != Instant::max()) {  // a chat's next message may be waiting for it
    return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(first_ready - done),
                      std::chrono::milliseconds{0}, kIdleNap);
  }
  return kIdleNap;
}

void Sender::Impl::notify() {
  {
    std::lock_guard lock(wake_mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

SenderEnd Sender::Impl::run(const std::stop_token& stop) {
  const std::stop_callback abort_call(stop, [this] {
    client_.cancel();
    for (const auto& client : worker_clients_) client->cancel();
  });
  while (!stop.stop_requested()) {
    last_round_ = std::chrono::steady_clock::now().time_since_epoch().count();
    std::chrono::milliseconds nap = kIdleNap;
    try {
      nap = send_due();
      if (unauthorized_) {
        spdlog::critical(
            "telegram: 401 Unauthorized: the bot token was revoked or is wrong; set "
            "TELEGRAM_BOT_TOKEN to the bot's current token");
        return SenderEnd::kUnauthorized;
      }
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
  return SenderEnd::kStopped;
}

Sender::Sender(ApiClient& client, chat::ChatBot& chat, Dependencies dependencies, SendLimits limits,
               std::string instance, std::function<std::unique_ptr<ApiClient>()> make_client)
    : impl_(std::make_unique<Impl>(client, chat, std::move(dependencies), limits,
                                   std::move(instance), std::move(make_client))) {}

Sender::~Sender() = default;

std::chrono::milliseconds Sender::send_due() { return impl_->send_due(); }

SenderEnd Sender::run(const std::stop_token& stop) { return impl_->run(stop); }

void Sender::notify() { impl_->notify(); }

std::uint64_t Sender::sent() const { return impl_->sent_.load(); }

std::chrono::steady_clock::time_point Sender::last_round() const {
  return std::chrono::steady_clock::time_point{
      std::chrono::steady_clock::duration{impl_->last_round_.load()}};
}

}  // namespace lottery::telegram
