#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "lottery/chat/chat_bot.hpp"

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
};

// Decides a webhook request: GET /healthz answers "ok"; a POST must carry the right
// secret (compared in constant time) or gets 401 and is not handled; an update is
// handled and answered 200 (with the button answer as a Bot API call in the body),
// or 500 when the database is unavailable, so that Telegram delivers it again.
WebhookResponse handle_webhook(const WebhookRequest& request, const std::string& secret,
                               chat::ChatBot& chat, const std::function<void()>& on_queued);

// A Beast HTTP/1.1 server on host:port, serving handle_webhook on `threads` threads
// (handling an update waits on the database, so it must not stall the others).
class WebhookServer {
 public:
  WebhookServer(const std::string& host, std::uint16_t port, std::string secret,
                chat::ChatBot& chat, std::function<void()> on_queued, int threads = 4);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // The port actually bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  // Stops accepting and finishes the requests in hand; idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::telegram
