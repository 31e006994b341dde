#include "lottery/telegram/webhook_server.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "lottery/telegram/bot_api.hpp"
#include "lottery/telegram/long_poller.hpp"
#include "lottery/telegram/public_site.hpp"

namespace lottery::telegram {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);
constexpr std::chrono::seconds kWriteTimeout{10};
// An answer to a request that was refused (401, 404, 4xx) gets less time to go out: a
// client that does not read it must not hold its connection long.
constexpr std::chrono::seconds kEarlyWriteTimeout{2};
// Requests served on one keep-alive connection before it is closed (Telegram opens
// another): no client keeps the server busy with one connection for ever.
constexpr int kRequestsPerConnection = 1000;
// The threads that accept, read and write; updates are handled on the pool of
// options.threads.
constexpr int kIoThreads = 2;
constexpr std::chrono::milliseconds kFirstAcceptBackoff{10};
constexpr std::chrono::milliseconds kLastAcceptBackoff{1000};
constexpr std::chrono::seconds kAcceptLogInterval{10};
constexpr std::chrono::seconds kLinger{1};
constexpr std::size_t kMaxLingerBytes = 256 * 1024;
// Public pages answered at once (each may be a list of tens of megabytes).
constexpr int kMaxSiteAnswers = 32;

// Equal length and bytes, in time that does not depend on where they differ.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

WebhookResponse plain(int status, std::string body) {
  return WebhookResponse{status, "text/plain", std::move(body)};
}

// The answer to a request that could not be read, if it deserves one: a closed or
// timed-out connection gets none.
std::optional<WebhookResponse> answer_to_unreadable(const beast::error_code& error, bool in_body) {
  if (error == http::error::header_limit) return plain(431, "request headers too large");
  if (error == http::error::body_limit) return plain(413, "request body too large");
  if (error == http::error::buffer_overflow) {
    return in_body ? plain(413, "chunk header or trailer too large")
                   : plain(431, "request headers too large");
  }
  if (error == http::error::end_of_stream || error == http::error::partial_message) {
    return std::nullopt;
  }
  if (error.category() == http::make_error_code(http::error::bad_method).category()) {
    return plain(400, "malformed request");
  }
  return std::nullopt;
}

}  // namespace

std::string url_path(std::string_view url) {
  const auto scheme = url.find("://");
  const std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return "/";
  return std::string(path_of(rest.substr(slash)));
}

std::optional<WebhookResponse> screen_request(const WebhookRequest& head,
                                              std::string_view webhook_path,
                                              const std::string& secret,
                                              const HealthCheck& health) {
  const std::string_view path = path_of(head.target);
  if (path == "/healthz") {
    if (head.method != "GET") return plain(405, "method not allowed");
    const HealthReport report = health ? health() : HealthReport{};
    return report.ok ? plain(200, "ok") : plain(503, report.reason);
  }
  if (webhook_path.empty() || path != webhook_path) return plain(404, "not found");
  if (head.method != "POST") return plain(405, "method not allowed");
  if (!same_secret(head.secret, secret)) return plain(401, "unauthorized");
  return std::nullopt;
}

WebhookResponse handle_webhook(const WebhookRequest& request, const std::string& secret,
                               chat::ChatBot& chat, const std::function<void()>& on_queued) {
  if (request.method == "GET" && request.target == "/healthz") return {200, "text/plain", "ok"};
  if (request.method != "POST") return {405, "text/plain", "method not allowed"};
  if (!same_secret(request.secret, secret)) return {401, "text/plain", "unauthorized"};
  const auto update = parse_update(request.body);
  if (!update) {
    spdlog::error("webhook: a body that is not an update, skipped");
    return {200, "text/plain", ""};
  }
  if (!update->event) {
    spdlog::debug("update {}: nothing for the bot, skipped", update->update_id);
    return {200, "text/plain", ""};
  }
  try {
    const auto outcome = chat.handle(update->update_id, *update->event);
    if (!outcome) {
      if (outcome.error().code == ErrorCode::kStorageUnavailable ||
          outcome.error().code == ErrorCode::kConflict) {
        spdlog::error("update {}: the database is unavailable, Telegram will retry",
                      update->update_id);
        return {500, "text/plain", "try again"};
      }
      spdlog::error("update {}: not handled ({}), skipped", update->update_id,
                    to_string(outcome.error().code));
      return {200, "text/plain", ""};
    }
    log_handled(*update, *outcome);
    if (outcome->queued > 0 && on_queued) on_queued();
    if (outcome->answer) {
      // The answer rides on the webhook's response: no extra request needed.
      auto body = boost::json::parse(answer_callback_body(*outcome->answer)).as_object();
      body["method"] = "answerCallbackQuery";
      return {200, "application/json", boost::json::serialize(body)};
    }
    return {200, "text/plain", ""};
  } catch (const std::exception& error) {
    spdlog::error("update {}: failed ({}), skipped", update->update_id, error.what());
    return {200, "text/plain", ""};
  }
}

namespace {

// One client connection, on a strand of its own: the server closes it from elsewhere
// (to make room) by posting to that strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  // Waiting for a request's headers (a connection Telegram keeps open between updates,
  // or a client too slow to send any): the first to go when room is needed.
  std::atomic<bool> idle{true};
  std::atomic<std::chrono::steady_clock::rep> idle_since{0};
  bool closing{false};  // guarded by the registry's mutex
  std::list<std::shared_ptr<Connection>>::iterator entry;

  void set_idle(bool value) {
    idle_since = std::chrono::steady_clock::now().time_since_epoch().count();
    idle = value;
  }
};

}  // namespace

struct WebhookServer::Impl {
  Impl(WebhookServerOptions server_options, WebhookHandler request_handler)
      : options(std::move(server_options)),
        handler(std::move(request_handler)),
        handling(static_cast<std::size_t>(std::max(1, options.threads))),
        acceptor(io, tcp::endpoint(net::ip::make_address(options.host), options.port)) {
    net::co_spawn(io, accept(), net::detached);
    for (int i = 0; i < kIoThreads; ++i) threads.emplace_back([this] { run_io(); });
  }

  // A handler that throws must not take the server down with it.
  void run_io() {
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception& error) {
        spdlog::error("webhook: a request failed ({}); serving on", error.what());
      }
    }
  }

  net::awaitable<void> accept() {
    auto backoff = kFirstAcceptBackoff;
    std::uint64_t failures = 0;  // since the last line in the log
    auto logged_at = std::chrono::steady_clock::time_point{};
    net::steady_timer pause(io);
    while (!stopping) {
      // Nothing may end this loop but stop(): a failure is logged, and accepting goes on.
      bool made_room = false;
      try {
        auto [error, socket] = co_await acceptor.async_accept(net::make_strand(io), kTuple);
        if (stopping) co_return;
        if (!error) {
          backoff = kFirstAcceptBackoff;
          admit(tcp::socket(std::move(socket)));
          continue;
        }
        // Out of descriptors (or memory): make room, wait a little, and go on accepting.
        // One line in the log per burst, with how many failed since the last.
        ++failures;
        const auto now = std::chrono::steady_clock::now();
        if (now - logged_at >= kAcceptLogInterval) {
          spdlog::error(
              "webhook: accepting connections failed {} time(s) ({}), {} open; closing the "
              "longest idle and going on",
              failures, error.message(), connections());
          logged_at = now;
          failures = 0;
        }
        made_room = close_longest_idle();
      } catch (const std::exception& failure) {
        spdlog::error("webhook: accepting a connection failed ({}); going on", failure.what());
      }
      pause.expires_after(made_room ? std::chrono::milliseconds{1} : backoff);
      co_await pause.async_wait(kTuple);
      if (!made_room) backoff = std::min(backoff * 2, kLastAcceptBackoff);
    }
  }

  void admit(tcp::socket socket) {
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      const std::lock_guard lock(mutex);
      if (open.size() >= options.max_connections && !close_longest_idle_locked()) {
        // Every connection is busy with a request: this one waits for a retry.
        boost::system::error_code ignored;
        connection->stream.socket().close(ignored);
        return;
      }
      connection->entry = open.insert(open.end(), connection);
    }
    connection->set_idle(true);
    net::co_spawn(connection->stream.get_executor(), serve(connection), net::detached);
  }

  bool close_longest_idle() {
    const std::lock_guard lock(mutex);
    return close_longest_idle_locked();
  }

  bool close_longest_idle_locked() {
    std::shared_ptr<Connection> longest;
    for (const auto& connection : open) {
      if (connection->closing || !connection->idle) continue;
      if (!longest || connection->idle_since < longest->idle_since) longest = connection;
    }
    if (!longest) return false;
    longest->closing = true;
    net::post(longest->stream.get_executor(), [longest] {
      boost::system::error_code ignored;
      longest->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      longest->stream.socket().close(ignored);
    });
    return true;
  }

  // Leaves the registry when the connection's coroutine ends, or is destroyed unfinished.
  struct Registration {
    Impl& server;
    std::shared_ptr<Connection> connection;
    ~Registration() {
      const std::lock_guard lock(server.mutex);
      server.open.erase(connection->entry);
    }
  };

  net::awaitable<void> serve(std::shared_ptr<Connection> connection) {
    const Registration registration{*this, connection};
    beast::tcp_stream& stream = connection->stream;
    // Capped: headers, chunk headers and trailers never take more than this.
    beast::flat_buffer buffer(options.max_header_bytes);
    for (int served = 0; served < kRequestsPerConnection && !stopping; ++served) {
      connection->set_idle(true);
      http::request_parser<http::empty_body> head_parser;
      head_parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      stream.expires_after(options.header_timeout);
      auto [head_error, head_bytes] =
          co_await http::async_read_header(stream, buffer, head_parser, kTuple);
      if (head_error) {
        if (const auto answer = answer_to_unreadable(head_error, false)) {
          co_await respond(stream, *answer, 11, false, kEarlyWriteTimeout);
        }
        break;
      }
      connection->set_idle(false);
      if (!co_await answer_request(*connection, buffer, head_parser)) break;
    }
    // Closing: evictable from here on, like an idle one.
    connection->set_idle(true);
    co_await linger(stream);
  }

  // Ends a connection gracefully. A client may still be sending what was not read (a
  // body after 401, the rest of a flood): closing at once would reset the connection,
  // and a reset can destroy the answer before the client reads it. So the server stops
  // writing, then reads and drops a little for a short while.
  static net::awaitable<void> linger(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 4096> sink{};
    std::size_t drained = 0;
    stream.expires_after(kLinger);
    while (drained < kMaxLingerBytes) {
      auto [error, read] = co_await stream.async_read_some(net::buffer(sink), kTuple);
      if (error) break;
      drained += read;
    }
  }

  // Answers one request whose headers are read; whether the connection may serve another.
  net::awaitable<bool> answer_request(Connection& connection, beast::flat_buffer& buffer,
                                      http::request_parser<http::empty_body>& head_parser) {
    beast::tcp_stream& stream = connection.stream;
    const auto& head = head_parser.get();
    const unsigned version = head.version();
    WebhookRequest request{std::string(head.method_string()),
                           std::string(head.target()),
                           std::string(head["X-Telegram-Bot-Api-Secret-Token"]),
                           {}};
    // RFC 9112: a transfer coding that does not end in chunked cannot be framed.
    if (head.count(http::field::transfer_encoding) > 0 && !head_parser.chunked()) {
      connection.set_idle(true);
      co_await respond(stream, plain(400, "unsupported transfer coding"), version, false,
                       kEarlyWriteTimeout);
      co_return false;
    }
    if (options.site && PublicSite::serves(path_of(request.target))) {
      co_return co_await answer_site(connection, head_parser, request.method, request.target);
    }
    if (auto early = screen_request(request, options.path, options.secret, options.health)) {
      // Refused without reading its body: evictable, and the connection ends. Only a
      // health check without a body may keep it.
      connection.set_idle(true);
      const bool reusable = early->status == 200 && head.keep_alive() && !head_parser.chunked() &&
                            head_parser.content_length().value_or(0) == 0;
      co_return co_await respond(stream, *early, version, reusable, kEarlyWriteTimeout) && reusable;
    }
    http::request_parser<http::string_body> parser(std::move(head_parser));
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(options.body_timeout);
    auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (body_error) {
      if (const auto answer = answer_to_unreadable(body_error, true)) {
        co_await respond(stream, *answer, version, false, kEarlyWriteTimeout);
      }
      co_return false;
    }
    request.body = std::move(parser.get().body());
    const bool keep_alive = parser.get().keep_alive();
    // Handled on a pool of its own: a database that hangs holds those threads, never
    // the ones that accept connections and answer /healthz.
    const WebhookResponse answer = co_await net::co_spawn(
        handling.get_executor(),
        [this, &request]() -> net::awaitable<WebhookResponse> { co_return handler(request); },
        net::use_awaitable);
    co_return co_await respond(stream, answer, version, keep_alive, kWriteTimeout) && keep_alive;
  }

  // A public page: GET without a body only; built on the handling pool (it may read
  // the database), which also bounds how many are built at once.
  net::awaitable<bool> answer_site(Connection& connection,
                                   http::request_parser<http::empty_body>& head_parser,
                                   const std::string& method, const std::string& target) {
    connection.set_idle(true);
    const unsigned version = head_parser.get().version();
    if (method != "GET") {
      co_await respond(connection.stream, plain(405, "method not allowed"), version, false,
                       kEarlyWriteTimeout);
      co_return false;
    }
    if (head_parser.chunked() || head_parser.content_length().value_or(0) != 0) {
      co_await respond(connection.stream, plain(400, "a GET has no body"), version, false,
                       kEarlyWriteTimeout);
      co_return false;
    }
    // A public file may be large and its reader slow: few go out at once, and the
    // connection stays evictable, so downloads never crowd out the webhook or /healthz.
    if (site_answers.fetch_add(1) >= kMaxSiteAnswers) {
      site_answers.fetch_sub(1);
      co_await respond(connection.stream, plain(503, "busy, try again"), version, false,
                       kEarlyWriteTimeout);
      co_return false;
    }
    struct Done {
      std::atomic<int>& count;
      ~Done() { count.fetch_sub(1); }
    } done{site_answers};
    const bool keep_alive = head_parser.get().keep_alive();
    const WebhookResponse answer = co_await net::co_spawn(
        handling.get_executor(),
        [this, &target]() -> net::awaitable<WebhookResponse> { co_return options.site(target); },
        net::use_awaitable);
    co_return co_await respond(connection.stream, answer, version, keep_alive, kWriteTimeout) &&
        keep_alive;
  }

  static net::awaitable<bool> respond(beast::tcp_stream& stream, const WebhookResponse& answer,
                                      unsigned version, bool keep_alive,
                                      std::chrono::seconds timeout) {
    const std::string_view bytes = answer.shared_body ? *answer.shared_body : answer.body;
    http::response<http::span_body<const char>> response{static_cast<http::status>(answer.status),
                                                         version};
    response.set(http::field::content_type, answer.content_type);
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    response.body() = {bytes.data(), bytes.size()};
    response.prepare_payload();
    // Written a piece at a time, each under the deadline: a large answer goes out as
    // long as its reader keeps reading, and a reader that stops is cut off.
    http::response_serializer<http::span_body<const char>> serializer(response);
    while (!serializer.is_done()) {
      stream.expires_after(timeout);
      auto [write_error, written] = co_await http::async_write_some(stream, serializer, kTuple);
      if (write_error) co_return false;
    }
    co_return true;
  }

  std::size_t connections() const {
    const std::lock_guard lock(mutex);
    return open.size();
  }

  void stop() {
    if (stopping.exchange(true)) return;
    net::post(io, [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
    });
    io.stop();
    for (auto& thread : threads) {
      if (thread.joinable()) thread.join();
    }
    handling.stop();
    handling.join();
  }

  WebhookServerOptions options;
  WebhookHandler handler;
  // Declared before the io_context: connections leave it while the io_context destroys
  // the coroutines it still holds.
  mutable std::mutex mutex;
  std::list<std::shared_ptr<Connection>> open;
  std::atomic<bool> stopping{false};
  std::atomic<int> site_answers{0};
  net::thread_pool handling;
  net::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
};

WebhookServer::WebhookServer(WebhookServerOptions options, WebhookHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

WebhookServer::~WebhookServer() { stop(); }

std::uint16_t WebhookServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::size_t WebhookServer::connections() const { return impl_->connections(); }

void WebhookServer::stop() { impl_->stop(); }

}  // namespace lottery::telegram
