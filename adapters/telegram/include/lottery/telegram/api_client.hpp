#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "lottery/telegram/bot_api.hpp"

namespace lottery::telegram {

struct ApiEndpoint {
  std::string base_url;  // https://api.telegram.org, or http://127.0.0.1:PORT for a local server
  std::string token;     // never written to any log or error message
  std::string ca_file;   // an extra CA certificate to trust (TELEGRAM_CA_FILE); may be empty
};

// Calls Bot API methods over one kept-alive connection: HTTPS with certificate and
// host-name verification and SNI, or plain HTTP. Every operation has a deadline. Not
// thread-safe: one client per thread.
class ApiClient {
 public:
  // Throws std::invalid_argument when the base URL is not http(s)://host[:port][/path].
  explicit ApiClient(ApiEndpoint endpoint);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // POSTs the JSON body to METHOD and waits at most `timeout`. A network failure or a
  // reply that is no Bot API envelope comes back as ok = false with error_code 0 and a
  // description (which never holds the token); the connection is then reopened on the
  // next call.
  [[nodiscard]] ApiResponse call(std::string_view method, const std::string& body,
                                 std::chrono::seconds timeout = std::chrono::seconds{30},
                                 const std::string& content_type = "application/json");

  // From any thread: aborts the call in progress and fails every later one (for
  // shutting down while a long poll waits).
  void cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::telegram
