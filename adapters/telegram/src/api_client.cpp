#include "lottery/telegram/api_client.hpp"

#include <atomic>
#include <stdexcept>

#include "lottery/http/client.hpp"

namespace lottery::telegram {

namespace {

// getUpdates brings at most 100 updates; an answer beyond this is no Bot API's.
constexpr std::uint64_t kMaxAnswerBytes = 8ULL * 1024 * 1024;

// The base URL's path, without a trailing '/', goes before "/bot<token>/<method>".
http::Url parse_base_url(const std::string& url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    throw std::invalid_argument("TELEGRAM_API_URL must start with http:// or https://");
  }
  auto parsed = http::parse_url(url);
  if (!parsed) throw std::invalid_argument("TELEGRAM_API_URL is not http(s)://host[:port][/path]");
  while (!parsed->target.empty() && parsed->target.back() == '/') parsed->target.pop_back();
  return *parsed;
}

ApiResponse network_failure(std::string description) {
  ApiResponse response;
  response.description = std::move(description);
  return response;
}

}  // namespace

struct ApiClient::Impl {
  explicit Impl(ApiEndpoint endpoint_value)
      : endpoint(std::move(endpoint_value)),
        base(parse_base_url(endpoint.base_url)),
        connection(endpoint.ca_file) {}

  ApiEndpoint endpoint;
  http::Url base;
  http::Connection connection;
  std::atomic<bool> cancelled{false};

  ApiResponse perform(const std::string& target, std::string body, std::chrono::seconds timeout,
                      const std::string& content_type) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!connection.is_open()) {
      if (auto failed = connection.open(base, deadline))
        return network_failure(failed->description);
    }
    http::Request request;
    request.method = "POST";
    request.target = target;
    request.headers = {{"Content-Type", content_type}};
    request.body = std::move(body);
    request.keep_alive = true;
    const auto answer = connection.exchange(std::move(request), deadline, kMaxAnswerBytes);
    if (!answer) return network_failure(answer.error().description);
    ApiResponse parsed = parse_response(answer->body, static_cast<int>(answer->status));
    // A reply that is no Bot API envelope: the next call starts on a fresh connection.
    if (!parsed.ok && parsed.error_code == 0) connection.close();
    return parsed;
  }
};

ApiClient::ApiClient(ApiEndpoint endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}

ApiClient::~ApiClient() = default;

void ApiClient::cancel() {
  impl_->cancelled = true;
  impl_->connection.interrupt();
}

ApiResponse ApiClient::call(std::string_view method, const std::string& body,
                            std::chrono::seconds timeout, const std::string& content_type) {
  if (impl_->cancelled) return network_failure("cancelled");
  const std::string target =
      impl_->base.target + "/bot" + impl_->endpoint.token + "/" + std::string(method);
  try {
    return impl_->perform(target, body, timeout, content_type);
  } catch (const std::exception& error) {
    impl_->connection.close();
    return network_failure(std::string("the call failed: ") + error.what());
  }
}

}  // namespace lottery::telegram
