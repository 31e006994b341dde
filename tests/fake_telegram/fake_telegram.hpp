#pragma once

// A Bot API server of our own, on 127.0.0.1, for testing the bot end to end: long
// polling, the methods the bot calls, Telegram's error envelopes (409, 429 with
// retry_after, 5xx), dropped connections, and a client for the bot's webhook.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lottery::testing {

// A call the bot made, as the fake recorded it.
struct ApiCall {
  std::string token;
  std::string method;
  std::string body;                          // JSON
  std::chrono::steady_clock::time_point at;  // when it arrived
};

// A message the bot sent (or edited), with what Telegram would show.
struct SentMessage {
  std::int64_t chat_id{0};
  std::int64_t message_id{0};
  std::string text;
  std::string reply_markup;  // JSON, empty without one
  bool edit{false};
  std::string document_name;  // sendDocument: the file's name and content (text: caption)
  std::string document;
};

class FakeTelegram {
 public:
  // Listens on 127.0.0.1 on a free port.
  FakeTelegram();
  ~FakeTelegram();
  FakeTelegram(const FakeTelegram&) = delete;
  FakeTelegram& operator=(const FakeTelegram&) = delete;

  [[nodiscard]] std::string base_url() const;  // http://127.0.0.1:PORT

  // Updates for getUpdates (ids are given in order); each returns its update_id.
  std::int64_t push_message(std::int64_t user_id, const std::string& text,
                            const std::string& first_name = "Клиент");
  std::int64_t push_group_message(std::int64_t chat_id, std::int64_t user_id,
                                  const std::string& text);
  std::int64_t push_contact(std::int64_t user_id, const std::string& phone,
                            std::int64_t contact_user_id);
  std::int64_t push_button(std::int64_t user_id, std::int64_t message_id, const std::string& data);
  std::int64_t push_raw(const std::string& update_without_id);  // e.g. an edited_message
  // The JSON of an update with this id, as a webhook would deliver it.
  [[nodiscard]] std::string update_json(std::int64_t update_id) const;

  // Failures to inject: the next `count` calls of `method` get this answer (after
  // `after` more calls answered as usual).
  void fail_next(const std::string& method, int status, const std::string& description,
                 std::optional<int> retry_after = std::nullopt, int count = 1, int after = 0);
  // Every sendMessage and editMessageText to `chat_id` gets this answer from now on (a
  // user who blocked the bot: 403; a chat that is gone: 400 or 404).
  void refuse_chat(std::int64_t chat_id, int status, const std::string& description);
  // How many messages to `chat_id` were refused so.
  [[nodiscard]] int refusals(std::int64_t chat_id) const;
  // The next `count` calls of `method` get their connection closed without an answer.
  void drop_next(const std::string& method, int count = 1);
  // Every call of `method` waits this long before it is answered.
  void delay(const std::string& method, std::chrono::milliseconds length);
  // Called on the fake's thread with the method and the request's body of every call
  // answered 200, before the answer is written; it may push updates.
  using AnsweredHook = std::function<void(const std::string& method, const std::string& body)>;
  void on_answered(AnsweredHook hook);
  // Enforce Telegram's limits on sendMessage (1 a second per chat, `per_second`
  // overall): a call over them gets 429 with retry_after.
  void enforce_limits(double per_second);
  // Unreachable: drops every open connection and waiting long poll, and resets each
  // new connection at once, until go_online().
  void go_offline();
  void go_online();

  [[nodiscard]] std::vector<ApiCall> calls() const;
  [[nodiscard]] std::vector<SentMessage> messages() const;
  [[nodiscard]] std::vector<SentMessage> messages_to(std::int64_t chat_id) const;
  [[nodiscard]] std::vector<std::string> callback_answers() const;
  [[nodiscard]] std::int64_t confirmed_offset() const;
  // When getUpdates first handed the update to the bot, if it did.
  [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> handed_over(
      std::int64_t update_id) const;
  // When the bot's getUpdates offset first went past the update, if it did.
  [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> confirmed_at(
      std::int64_t update_id) const;
  // When `method` was last called, if ever.
  [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> last_call(
      const std::string& method) const;
  // The most calls of `method` the fake was answering at the same time.
  [[nodiscard]] int most_at_once(const std::string& method) const;

  // Waits until `condition` holds (checked after every call the fake answers), at
  // most `limit`; says whether it held.
  bool wait_until(const std::function<bool(const FakeTelegram&)>& condition,
                  std::chrono::milliseconds limit = std::chrono::seconds{20});

  // POSTs to the bot's webhook; returns the HTTP status and the body.
  static std::pair<int, std::string> post_webhook(std::uint16_t port, const std::string& target,
                                                  const std::string& secret,
                                                  const std::string& body);
  static std::pair<int, std::string> get(std::uint16_t port, const std::string& target);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::testing
