#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/telegram/health.hpp"

namespace lottery::telegram {

// The webhook request, reduced to what the bot decides on: socket-free, so it is
// tested without I/O.
struct WebhookRequest {
  std::string method;  // "GET", "POST"
  std::string target;  // "/healthz", "/telegram"
  std::string secret;  // X-Telegram-Bot-Api-Secret-Token, empty when absent
  std::string body;
};

struct WebhookResponse {
  int status{200};
  std::string content_type{"text/plain"};
  std::string body;
  // Instead of `body`: bytes shared with a cache (a large published file is not copied
  // for each request).
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

using HealthCheck = std::function<HealthReport()>;

// Decides a request from its headers alone, before any body is read: /healthz (GET)
// answers the health check, 200 or 503; any path but `webhook_path` is 404 (with an
// empty `webhook_path` every other path is); the webhook takes POST only (405) with
// the right secret, compared in constant time (401). Nothing means: read the body and
// hand it to handle_webhook.
std::optional<WebhookResponse> screen_request(const WebhookRequest& head,
                                              std::string_view webhook_path,
                                              const std::string& secret, const HealthCheck& health);

// Decides a webhook request with its body: a POST must carry the right secret or gets
// 401 and is not handled; an update is handled and answered 200 (with the button answer
// as a Bot API call in the body), or 500 when the database is unavailable, so that
// Telegram delivers it again. GET /healthz answers "ok".
WebhookResponse handle_webhook(const WebhookRequest& request, const std::string& secret,
                               chat::ChatBot& chat, const std::function<void()>& on_queued);

// The path of a URL ("https://host/a/b?x" → "/a/b"; "/" when it has none).
std::string url_path(std::string_view url);

struct WebhookServerOptions {
  std::string host{"127.0.0.1"};
  std::uint16_t port{0};  // 0: any free port
  std::string path;       // WEBHOOK_URL's path; empty: no webhook, /healthz only
  std::string secret;
  // Threads handling updates (handling waits on the database; two more threads accept,
  // read and write, and answer /healthz whatever the database does).
  int threads{4};
  // Connections open at once; past it the longest idle one is closed for a new one.
  std::size_t max_connections{512};
  // From a connection's first byte (or the end of its last request) to the end of the
  // request's headers; then for the body. Slow clients cannot hold a connection longer.
  std::chrono::milliseconds header_timeout{std::chrono::seconds{10}};
  std::chrono::milliseconds body_timeout{std::chrono::seconds{20}};
  // The headers (431 past it; also the cap on chunk headers and trailers) and the body
  // (413 past it; an update is a few kilobytes).
  std::size_t max_header_bytes{16UL * 1024};
  std::size_t max_body_bytes{1 << 20};
  HealthCheck health;  // empty: healthy
  // The public pages (PublicSite::get) for GET requests to the paths PublicSite serves,
  // answered on the handling pool; empty: no public pages (404).
  std::function<WebhookResponse(std::string_view target)> site;
};

// Handles a webhook request that passed screen_request, body read (handle_webhook
// with the bot's chat, once it is ready).
using WebhookHandler = std::function<WebhookResponse(const WebhookRequest&)>;

// A Beast HTTP/1.1 server for Telegram's webhook and /healthz. Every connection reads
// its headers first under a size cap and a deadline, and only a request with the right
// path and secret has its body read. The accept loop survives every error (a full
// descriptor table included: it closes the longest idle connection and backs off).
class WebhookServer {
 public:
  // Binds and starts serving; throws std::system_error when the address cannot be bound.
  WebhookServer(WebhookServerOptions options, WebhookHandler handler);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // The port actually bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  // Connections open now.
  [[nodiscard]] std::size_t connections() const;
  // Stops accepting and finishes the requests in hand; idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::telegram
