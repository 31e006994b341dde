#include "fake_telegram.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "multipart.hpp"

namespace lottery::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);

struct Failure {
  int status{0};
  std::string description;
  std::optional<int> retry_after;
  int after{0};  // calls answered normally before this failure
};

json::object user_json(std::int64_t id, const std::string& first_name) {
  return json::object{{"id", id},
                      {"is_bot", false},
                      {"first_name", first_name},
                      {"username", "user" + std::to_string(id)}};
}

std::string envelope_ok(json::value result) {
  return json::serialize(json::object{{"ok", true}, {"result", std::move(result)}});
}

std::string envelope_error(const Failure& failure) {
  json::object body{
      {"ok", false}, {"error_code", failure.status}, {"description", failure.description}};
  if (failure.retry_after) body["parameters"] = json::object{{"retry_after", *failure.retry_after}};
  return json::serialize(body);
}

}  // namespace

struct FakeTelegram::Impl {
  net::io_context io;
  // Keeps io.run() going while offline, when no socket has work pending.
  net::executor_work_guard<net::io_context::executor_type> keep_running{io.get_executor()};
  tcp::acceptor acceptor{io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::pair<std::int64_t, std::string>> updates;  // id, JSON
  std::map<std::int64_t, std::string> all_updates;
  // When each update was first handed to the bot by getUpdates.
  std::map<std::int64_t, std::chrono::steady_clock::time_point> handed_over;
  // When the bot's next getUpdates confirmed each (its offset went past it).
  std::map<std::int64_t, std::chrono::steady_clock::time_point> confirmed_at;
  std::int64_t next_update_id{100000};
  std::int64_t confirmed{0};
  std::int64_t next_message_id{1000};
  std::vector<ApiCall> calls;
  std::vector<SentMessage> messages;
  std::vector<std::string> answers;
  std::map<std::string, std::deque<Failure>> failures;
  std::map<std::int64_t, Failure> refused_chats;  // every message to these chats
  std::map<std::int64_t, int> refusals;           // how many each got
  std::map<std::string, int> drops;
  std::map<std::string, std::chrono::milliseconds> delays;
  std::map<std::string, int> answering;
  std::map<std::string, int> most_answering;
  std::optional<double> limit_per_second;
  FakeTelegram::AnsweredHook on_answered;  // guarded by mutex, called outside it
  std::map<std::int64_t, std::chrono::steady_clock::time_point> last_to_chat;
  std::deque<std::chrono::steady_clock::time_point> recent_sends;
  std::vector<std::shared_ptr<net::steady_timer>> pollers;
  bool offline{false};
  std::uint16_t port{0};
  std::vector<std::weak_ptr<beast::tcp_stream>> open_streams;  // used on the io thread only

  Impl() {
    port = acceptor.local_endpoint().port();
    net::co_spawn(io, accept(), net::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  void wake_pollers() {
    // Called with the mutex held.
    for (auto& timer : pollers) {
      net::post(io, [timer] { timer->cancel(); });
    }
    pollers.clear();
  }

  std::int64_t push(json::object update) {
    std::lock_guard lock(mutex);
    const std::int64_t id = next_update_id++;
    update["update_id"] = id;
    std::string text = json::serialize(update);
    updates.emplace_back(id, text);
    all_updates[id] = text;
    wake_pollers();
    return id;
  }

  net::awaitable<void> accept() {
    while (true) {
      auto [error, socket] = co_await acceptor.async_accept(kTuple);
      if (error) co_return;
      if (is_offline()) {
        // Unreachable: reset the connection at once (the port stays ours meanwhile,
        // so no other socket can take it).
        boost::system::error_code ignored;
        socket.set_option(net::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        continue;
      }
      socket.set_option(tcp::no_delay(true));  // or each keep-alive answer stalls ~40 ms
      auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      open_streams.push_back(stream);
      net::co_spawn(io, serve(stream), net::detached);
    }
  }

  bool is_offline() const {
    std::lock_guard lock(mutex);
    return offline;
  }

  // Splits /bot<TOKEN>/<method>.
  static std::pair<std::string, std::string> route(std::string_view target) {
    if (target.rfind("/bot", 0) != 0) return {};
    target.remove_prefix(4);
    const auto slash = target.find('/');
    if (slash == std::string_view::npos) return {};
    return {std::string(target.substr(0, slash)), std::string(target.substr(slash + 1))};
  }

  net::awaitable<void> serve(std::shared_ptr<beast::tcp_stream> connection) {
    beast::tcp_stream& stream = *connection;
    beast::flat_buffer buffer;
    while (true) {
      http::request<http::string_body> request;
      auto [read_error, read] = co_await http::async_read(stream, buffer, request, kTuple);
      if (read_error) break;
      if (is_offline()) break;
      const auto [token, method] = route(request.target());
      bool drop = false;
      std::chrono::milliseconds wait{0};
      {
        std::lock_guard lock(mutex);
        calls.push_back(ApiCall{token, method, request.body(), std::chrono::steady_clock::now()});
        const int now_answering = ++answering[method];
        most_answering[method] = std::max(most_answering[method], now_answering);
        if (auto found = drops.find(method); found != drops.end() && found->second > 0) {
          --found->second;
          --answering[method];
          drop = true;
        }
        if (auto found = delays.find(method); found != delays.end()) wait = found->second;
      }
      changed.notify_all();  // a call arrived: tests may be waiting for it
      if (drop) {
        changed.notify_all();
        break;
      }
      if (wait.count() > 0) {
        net::steady_timer timer(io, wait);
        co_await timer.async_wait(kTuple);
      }
      auto [status, body] =
          co_await answer(method, request.body(), std::string(request[http::field::content_type]));
      if (status == 200) {
        FakeTelegram::AnsweredHook hook;
        {
          std::lock_guard lock(mutex);
          hook = on_answered;
        }
        if (hook) hook(method, request.body());
      }
      {
        std::lock_guard lock(mutex);
        --answering[method];
      }
      if (is_offline()) break;  // went down while this call waited: no answer
      http::response<http::string_body> response{static_cast<http::status>(status), 11};
      response.set(http::field::content_type, "application/json");
      response.keep_alive(request.keep_alive());
      response.body() = std::move(body);
      response.prepare_payload();
      auto [write_error, written] = co_await http::async_write(stream, response, kTuple);
      changed.notify_all();
      if (write_error || !response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().close(ignored);
    changed.notify_all();
  }

  net::awaitable<std::pair<int, std::string>> answer(const std::string& method,
                                                     const std::string& body_text,
                                                     const std::string& content_type) {
    {
      std::lock_guard lock(mutex);
      if (auto found = failures.find(method); found != failures.end() && !found->second.empty()) {
        Failure& next = found->second.front();
        if (next.after > 0) {
          --next.after;
        } else {
          const Failure failure = next;
          found->second.pop_front();
          co_return std::pair{failure.status, envelope_error(failure)};
        }
      }
    }
    if (method == "sendDocument") co_return send_document(body_text, content_type);
    boost::system::error_code parse_error;
    const json::value parsed = json::parse(body_text.empty() ? "{}" : body_text, parse_error);
    if (parse_error || !parsed.is_object()) {
      co_return std::pair{400,
                          envelope_error({400, "Bad Request: body is not JSON", std::nullopt})};
    }
    const json::object& body = parsed.as_object();
    if (method == "getMe") {
      co_return std::pair{200, envelope_ok(json::object{{"id", 4242},
                                                        {"is_bot", true},
                                                        {"first_name", "Club lottery"},
                                                        {"username", "club_lottery_bot"}})};
    }
    if (method == "getUpdates") co_return co_await get_updates(body);
    if (method == "sendMessage" || method == "editMessageText") {
      std::lock_guard lock(mutex);
      const std::int64_t chat =
          body.contains("chat_id") ? body.at("chat_id").to_number<std::int64_t>() : 0;
      if (const auto refused = refused_chats.find(chat); refused != refused_chats.end()) {
        ++refusals[chat];
        co_return std::pair{refused->second.status, envelope_error(refused->second)};
      }
      if (method == "sendMessage" && limit_per_second) {
        const auto now = std::chrono::steady_clock::now();
        while (!recent_sends.empty() && now - recent_sends.front() >= std::chrono::seconds{1}) {
          recent_sends.pop_front();
        }
        const auto last = last_to_chat.find(chat);
        if ((last != last_to_chat.end() && now - last->second < std::chrono::seconds{1}) ||
            static_cast<double>(recent_sends.size()) >= *limit_per_second) {
          co_return std::pair{429, envelope_error({429, "Too Many Requests: retry after 1", 1})};
        }
        last_to_chat[chat] = now;
        recent_sends.push_back(now);
      }
      SentMessage message;
      message.chat_id = chat;
      message.text = body.contains("text") ? std::string(body.at("text").as_string()) : "";
      if (body.contains("reply_markup"))
        message.reply_markup = json::serialize(body.at("reply_markup"));
      message.edit = method == "editMessageText";
      message.message_id =
          message.edit ? body.at("message_id").to_number<std::int64_t>() : next_message_id++;
      messages.push_back(message);
      co_return std::pair{
          200, envelope_ok(json::object{{"message_id", message.message_id},
                                        {"chat", json::object{{"id", chat}, {"type", "private"}}},
                                        {"date", 1700000000},
                                        {"text", message.text}})};
    }
    if (method == "answerCallbackQuery") {
      std::lock_guard lock(mutex);
      answers.push_back(body.contains("text") ? std::string(body.at("text").as_string()) : "");
      co_return std::pair{200, envelope_ok(true)};
    }
    if (method == "setMyCommands" || method == "setWebhook" || method == "deleteWebhook") {
      co_return std::pair{200, envelope_ok(true)};
    }
    co_return std::pair{404, envelope_error({404, "Not Found: method not found", std::nullopt})};
  }

  // sendDocument as Telegram takes it: multipart/form-data with chat_id, caption and the
  // file in "document".
  std::pair<int, std::string> send_document(const std::string& body,
                                            const std::string& content_type) {
    auto form = parse_multipart(body, content_type);
    if (!form) {
      return {400, envelope_error({400, "Bad Request: file must be multipart", std::nullopt})};
    }
    auto& parts = *form;
    if (!parts.contains("chat_id") || !parts.contains("document") ||
        parts["document"].file_name.empty()) {
      return {400, envelope_error(
                       {400, "Bad Request: there is no document in the request", std::nullopt})};
    }
    std::lock_guard lock(mutex);
    SentMessage message;
    message.chat_id = std::stoll(parts["chat_id"].value);
    message.text = parts.contains("caption") ? parts["caption"].value : "";
    message.document_name = parts["document"].file_name;
    message.document = parts["document"].value;
    message.message_id = next_message_id++;
    messages.push_back(message);
    return {200, envelope_ok(json::object{
                     {"message_id", message.message_id},
                     {"chat", json::object{{"id", message.chat_id}, {"type", "private"}}},
                     {"date", 1700000000}})};
  }

  net::awaitable<std::pair<int, std::string>> get_updates(const json::object& body) {
    const std::int64_t offset =
        body.contains("offset") ? body.at("offset").to_number<std::int64_t>() : 0;
    const std::int64_t timeout =
        body.contains("timeout") ? body.at("timeout").to_number<std::int64_t>() : 0;
    // Telegram answers at most `limit` updates (1 to 100, 100 when not given).
    const std::int64_t limit = std::clamp<std::int64_t>(
        body.contains("limit") ? body.at("limit").to_number<std::int64_t>() : 100, 1, 100);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{timeout};
    while (true) {
      auto timer = std::make_shared<net::steady_timer>(io, deadline);
      {
        std::lock_guard lock(mutex);
        // An offset confirms every update before it.
        for (auto handed = handed_over.lower_bound(confirmed);
             handed != handed_over.end() && handed->first < offset; ++handed) {
          confirmed_at.try_emplace(handed->first, std::chrono::steady_clock::now());
        }
        confirmed = std::max(confirmed, offset);
        while (!updates.empty() && updates.front().first < offset) updates.pop_front();
        if (!updates.empty() || std::chrono::steady_clock::now() >= deadline) {
          json::array result;
          const auto now = std::chrono::steady_clock::now();
          for (const auto& [id, text] : updates) {
            if (std::cmp_greater_equal(result.size(), limit)) break;
            result.push_back(json::parse(text));
            handed_over.try_emplace(id, now);
          }
          co_return std::pair{200, envelope_ok(std::move(result))};
        }
        pollers.push_back(timer);
      }
      co_await timer->async_wait(kTuple);
      if (is_offline()) co_return std::pair{0, std::string{}};
    }
  }
};

FakeTelegram::FakeTelegram() : impl_(std::make_unique<Impl>()) {}
FakeTelegram::~FakeTelegram() = default;

std::string FakeTelegram::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::int64_t FakeTelegram::push_message(std::int64_t user_id, const std::string& text,
                                        const std::string& first_name) {
  return impl_->push(json::object{
      {"message", json::object{{"message_id", impl_->next_update_id},
                               {"from", user_json(user_id, first_name)},
                               {"chat", json::object{{"id", user_id}, {"type", "private"}}},
                               {"date", 1700000000},
                               {"text", text}}}});
}

std::int64_t FakeTelegram::push_group_message(std::int64_t chat_id, std::int64_t user_id,
                                              const std::string& text) {
  return impl_->push(json::object{
      {"message", json::object{{"message_id", impl_->next_update_id},
                               {"from", user_json(user_id, "Клиент")},
                               {"chat", json::object{{"id", chat_id}, {"type", "supergroup"}}},
                               {"date", 1700000000},
                               {"text", text}}}});
}

std::int64_t FakeTelegram::push_contact(std::int64_t user_id, const std::string& phone,
                                        std::int64_t contact_user_id) {
  return impl_->push(json::object{
      {"message", json::object{{"message_id", impl_->next_update_id},
                               {"from", user_json(user_id, "Клиент")},
                               {"chat", json::object{{"id", user_id}, {"type", "private"}}},
                               {"date", 1700000000},
                               {"contact", json::object{{"phone_number", phone},
                                                        {"first_name", "Клиент"},
                                                        {"user_id", contact_user_id}}}}}});
}

std::int64_t FakeTelegram::push_button(std::int64_t user_id, std::int64_t message_id,
                                       const std::string& data) {
  return impl_->push(json::object{
      {"callback_query",
       json::object{
           {"id", "cb" + std::to_string(impl_->next_update_id)},
           {"from", user_json(user_id, "Клиент")},
           {"chat_instance", "1"},
           {"data", data},
           {"message", json::object{{"message_id", message_id},
                                    {"chat", json::object{{"id", user_id}, {"type", "private"}}},
                                    {"date", 1700000000},
                                    {"text", "…"}}}}}});
}

void FakeTelegram::on_answered(AnsweredHook hook) {
  std::lock_guard lock(impl_->mutex);
  impl_->on_answered = std::move(hook);
}

std::int64_t FakeTelegram::push_raw(const std::string& update_without_id) {
  return impl_->push(json::parse(update_without_id).as_object());
}

std::string FakeTelegram::update_json(std::int64_t update_id) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->all_updates.at(update_id);
}

void FakeTelegram::refuse_chat(std::int64_t chat_id, int status, const std::string& description) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->refused_chats[chat_id] = Failure{status, description, std::nullopt};
  }
}

int FakeTelegram::refusals(std::int64_t chat_id) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->refusals.find(chat_id);
  return found == impl_->refusals.end() ? 0 : found->second;
}

void FakeTelegram::fail_next(const std::string& method, int status, const std::string& description,
                             std::optional<int> retry_after, int count, int after) {
  std::lock_guard lock(impl_->mutex);
  for (int i = 0; i < count; ++i) {
    impl_->failures[method].push_back(
        Failure{status, description, retry_after, i == 0 ? after : 0});
  }
}

void FakeTelegram::drop_next(const std::string& method, int count) {
  std::lock_guard lock(impl_->mutex);
  impl_->drops[method] += count;
}

namespace {

std::optional<std::chrono::steady_clock::time_point> time_of(
    const std::map<std::int64_t, std::chrono::steady_clock::time_point>& times,
    std::int64_t update_id) {
  const auto found = times.find(update_id);
  if (found == times.end()) return std::nullopt;
  return found->second;
}

}  // namespace

std::optional<std::chrono::steady_clock::time_point> FakeTelegram::handed_over(
    std::int64_t update_id) const {
  std::lock_guard lock(impl_->mutex);
  return time_of(impl_->handed_over, update_id);
}

std::optional<std::chrono::steady_clock::time_point> FakeTelegram::confirmed_at(
    std::int64_t update_id) const {
  std::lock_guard lock(impl_->mutex);
  return time_of(impl_->confirmed_at, update_id);
}

std::optional<std::chrono::steady_clock::time_point> FakeTelegram::last_call(
    const std::string& method) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = std::find_if(impl_->calls.rbegin(), impl_->calls.rend(),
                                  [&](const ApiCall& call) { return call.method == method; });
  if (found == impl_->calls.rend()) return std::nullopt;
  return found->at;
}

int FakeTelegram::most_at_once(const std::string& method) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->most_answering.find(method);
  return found == impl_->most_answering.end() ? 0 : found->second;
}

void FakeTelegram::delay(const std::string& method, std::chrono::milliseconds length) {
  std::lock_guard lock(impl_->mutex);
  impl_->delays[method] = length;
}

void FakeTelegram::go_offline() {
  std::promise<void> done;
  net::post(impl_->io, [this, &done] {
    {
      std::lock_guard lock(impl_->mutex);
      impl_->offline = true;
      impl_->wake_pollers();
    }
    // Cut every connection, idle keep-alive ones too, as a network failure would.
    boost::system::error_code ignored;
    for (const auto& open : impl_->open_streams) {
      if (const auto stream = open.lock()) stream->socket().close(ignored);
    }
    impl_->open_streams.clear();
    done.set_value();
  });
  done.get_future().wait();
}

void FakeTelegram::go_online() {
  std::lock_guard lock(impl_->mutex);
  impl_->offline = false;
}

void FakeTelegram::enforce_limits(double per_second) {
  std::lock_guard lock(impl_->mutex);
  impl_->limit_per_second = per_second;
}

std::vector<ApiCall> FakeTelegram::calls() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->calls;
}

std::vector<SentMessage> FakeTelegram::messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->messages;
}

std::vector<SentMessage> FakeTelegram::messages_to(std::int64_t chat_id) const {
  std::vector<SentMessage> found;
  for (auto& message : messages()) {
    if (message.chat_id == chat_id) found.push_back(std::move(message));
  }
  return found;
}

std::vector<std::string> FakeTelegram::callback_answers() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->answers;
}

std::int64_t FakeTelegram::confirmed_offset() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->confirmed;
}

bool FakeTelegram::wait_until(const std::function<bool(const FakeTelegram&)>& condition,
                              std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::unique_lock lock(impl_->mutex);
  while (true) {
    lock.unlock();
    if (condition(*this)) return true;
    lock.lock();
    if (impl_->changed.wait_until(lock, deadline) == std::cv_status::timeout) {
      lock.unlock();
      return condition(*this);
    }
  }
}

}  // namespace lottery::testing
