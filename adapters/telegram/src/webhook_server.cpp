#include "lottery/telegram/webhook_server.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <thread>
#include <vector>

#include "lottery/telegram/bot_api.hpp"

namespace lottery::telegram {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);
constexpr std::size_t kMaxBody = 1 << 20;

// Equal length and bytes, in time that does not depend on where they differ.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

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
  if (!update->event) return {200, "text/plain", ""};
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

struct WebhookServer::Impl {
  Impl(const std::string& host, std::uint16_t port_number, std::string secret_value,
       chat::ChatBot& chat_bot, std::function<void()> queued, int thread_count)
      : acceptor(io, tcp::endpoint(net::ip::make_address(host), port_number)),
        secret(std::move(secret_value)),
        chat(chat_bot),
        on_queued(std::move(queued)) {
    net::co_spawn(io, accept(), net::detached);
    for (int i = 0; i < thread_count; ++i) threads.emplace_back([this] { io.run(); });
  }

  net::awaitable<void> accept() {
    while (true) {
      auto [error, socket] = co_await acceptor.async_accept(kTuple);
      if (error) co_return;  // closed by stop()
      net::co_spawn(io, serve(beast::tcp_stream(std::move(socket))), net::detached);
    }
  }

  net::awaitable<void> serve(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxBody);
      stream.expires_after(std::chrono::seconds{60});
      auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kTuple);
      if (read_error) break;
      const auto& request = parser.get();
      WebhookRequest decided{std::string(request.method_string()), std::string(request.target()),
                             std::string(request["X-Telegram-Bot-Api-Secret-Token"]),
                             request.body()};
      const WebhookResponse answer = handle_webhook(decided, secret, chat, on_queued);
      http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                                 request.version()};
      response.set(http::field::content_type, answer.content_type);
      response.keep_alive(request.keep_alive());
      response.body() = answer.body;
      response.prepare_payload();
      stream.expires_after(std::chrono::seconds{30});
      auto [write_error, written] = co_await http::async_write(stream, response, kTuple);
      if (write_error || !response.keep_alive()) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  void stop() {
    net::post(io, [this] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
    });
    io.stop();
    for (auto& thread : threads) {
      if (thread.joinable()) thread.join();
    }
  }

  net::io_context io;
  tcp::acceptor acceptor;
  std::string secret;
  chat::ChatBot& chat;
  std::function<void()> on_queued;
  std::vector<std::thread> threads;
};

WebhookServer::WebhookServer(const std::string& host, std::uint16_t port, std::string secret,
                             chat::ChatBot& chat, std::function<void()> on_queued, int threads)
    : impl_(std::make_unique<Impl>(host, port, std::move(secret), chat, std::move(on_queued),
                                   threads)) {}

WebhookServer::~WebhookServer() { stop(); }

std::uint16_t WebhookServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void WebhookServer::stop() { impl_->stop(); }

}  // namespace lottery::telegram
