#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace lottery::http {

// An absolute http(s) URL split for a request.
struct Url {
  bool secure{true};
  std::string host;    // a name or an address; an IPv6 one without its brackets
  std::string port;    // digits; 443 or 80 when the URL names none
  std::string target;  // path and query, always starting with '/'
};

// http(s)://host[:port][/path][?query]; nothing when the text is not such a URL.
[[nodiscard]] std::optional<Url> parse_url(std::string_view url);

struct Request {
  std::string method{"GET"};  // GET or POST
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host and User-Agent
  std::string body;                                          // sent with POST
  bool keep_alive{false};
};

struct Response {
  unsigned status{0};
  std::string body;
  bool keep_alive{false};
};

// What went wrong, as "stage: reason" (e.g. "tls handshake: certificate verify failed").
struct Failure {
  std::string description;
};

// One client connection to one server, used from one thread at a time: name lookup,
// TCP, and for https TLS with SNI, certificate and host-name verification. Every step
// runs under the deadline its caller gives, the lookup included.
class Connection {
 public:
  // `ca_file`: an extra CA certificate to trust besides the system's; may be empty.
  explicit Connection(const std::string& ca_file = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;

  // Connects to the URL's host and port; a failure leaves the connection closed.
  [[nodiscard]] std::optional<Failure> open(const Url& url,
                                            std::chrono::steady_clock::time_point deadline);
  [[nodiscard]] bool is_open() const;

  // Sends the request and reads the answer, whose body may hold at most `body_limit`
  // bytes. The connection is closed after a failure or an answer that does not keep
  // it alive.
  // The request is taken by value: its body (an upload of megabytes) is moved, not copied.
  [[nodiscard]] tl::expected<Response, Failure> exchange(
      Request request, std::chrono::steady_clock::time_point deadline, std::uint64_t body_limit);

  void close();

  // From any thread: ends the operation in progress with an error.
  void interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::http
