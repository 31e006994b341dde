#include "lottery/telegram/api_client.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <stdexcept>
#include <variant>

namespace lottery::telegram {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// Completion token: errors come back as values, not exceptions.
constexpr auto kTuple = net::experimental::as_tuple(net::use_awaitable);

// SNI; the OpenSSL macro casts in the old style.
bool set_server_name(SSL* connection, const std::string& host) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  return SSL_set_tlsext_host_name(connection, host.c_str()) == 1;
#pragma GCC diagnostic pop
}

struct BaseUrl {
  bool secure{true};
  std::string host;
  std::string port;
  std::string path;  // without a trailing '/'
};

BaseUrl parse_base_url(const std::string& url) {
  BaseUrl parsed;
  std::string_view rest = url;
  if (rest.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    parsed.secure = false;
    rest.remove_prefix(7);
  } else {
    throw std::invalid_argument("TELEGRAM_API_URL must start with http:// or https://");
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) parsed.path = std::string(rest.substr(slash));
  while (!parsed.path.empty() && parsed.path.back() == '/') parsed.path.pop_back();
  if (const auto colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    parsed.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  parsed.host = std::string(authority);
  if (parsed.host.empty()) throw std::invalid_argument("TELEGRAM_API_URL has no host");
  if (parsed.port.empty()) parsed.port = parsed.secure ? "443" : "80";
  return parsed;
}

ApiResponse network_failure(std::string_view what, const boost::system::error_code& error) {
  ApiResponse response;
  response.description = std::string(what) + ": " + error.message();
  return response;
}

}  // namespace

struct ApiClient::Impl {
  explicit Impl(ApiEndpoint endpoint_value)
      : endpoint(std::move(endpoint_value)), base(parse_base_url(endpoint.base_url)) {
    tls.set_default_verify_paths();
    if (!endpoint.ca_file.empty()) tls.load_verify_file(endpoint.ca_file);
    tls.set_verify_mode(ssl::verify_peer);
  }

  using Plain = beast::tcp_stream;
  using Secure = beast::ssl_stream<beast::tcp_stream>;

  ApiEndpoint endpoint;
  BaseUrl base;
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::optional<Plain> plain;
  std::optional<Secure> secure;
  beast::flat_buffer buffer;
  std::atomic<bool> cancelled{false};

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void close() {
    boost::system::error_code ignored;
    if (plain) plain->socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  net::awaitable<std::optional<ApiResponse>> connect(std::chrono::seconds timeout) {
    tcp::resolver resolver(io);
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(base.host, base.port, kTuple);
    if (resolve_error) co_return network_failure("resolve", resolve_error);
    if (base.secure) {
      secure.emplace(io, tls);
      // SNI, and the certificate must name the host.
      if (!set_server_name(secure->native_handle(), base.host)) {
        co_return network_failure("tls", net::error::invalid_argument);
      }
      secure->set_verify_callback(ssl::host_name_verification(base.host));
    } else {
      plain.emplace(io);
    }
    lowest().expires_after(timeout);
    auto [connect_error, connected] = co_await lowest().async_connect(endpoints, kTuple);
    if (connect_error) co_return network_failure("connect", connect_error);
    lowest().socket().set_option(tcp::no_delay(true));
    if (secure) {
      lowest().expires_after(timeout);
      auto [handshake_error] = co_await secure->async_handshake(ssl::stream_base::client, kTuple);
      if (handshake_error) co_return network_failure("tls handshake", handshake_error);
    }
    co_return std::nullopt;
  }

  template <class Stream>
  net::awaitable<ApiResponse> exchange(Stream& stream, http::request<http::string_body>& request,
                                       std::chrono::seconds timeout) {
    lowest().expires_after(timeout);
    auto [write_error, written] = co_await http::async_write(stream, request, kTuple);
    if (write_error) co_return network_failure("send", write_error);
    http::response<http::string_body> response;
    lowest().expires_after(timeout);
    auto [read_error, read] = co_await http::async_read(stream, buffer, response, kTuple);
    if (read_error) co_return network_failure("receive", read_error);
    ApiResponse parsed = parse_response(response.body(), static_cast<int>(response.result_int()));
    if (!response.keep_alive()) close();
    co_return parsed;
  }

  net::awaitable<ApiResponse> perform(std::string target, std::string body,
                                      std::chrono::seconds timeout) {
    if (!plain && !secure) {
      if (auto failure = co_await connect(timeout)) {
        close();
        co_return *failure;
      }
    }
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::host, base.host);
    request.set(http::field::user_agent, "club-lottery-bot");
    request.set(http::field::content_type, "application/json");
    request.keep_alive(true);
    request.body() = std::move(body);
    request.prepare_payload();
    ApiResponse response = secure ? co_await exchange(*secure, request, timeout)
                                  : co_await exchange(*plain, request, timeout);
    if (!response.ok && response.error_code == 0) close();
    co_return response;
  }
};

ApiClient::ApiClient(ApiEndpoint endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}

ApiClient::~ApiClient() = default;

void ApiClient::cancel() {
  impl_->cancelled = true;
  net::post(impl_->io, [impl = impl_.get()] { impl->close(); });
}

ApiResponse ApiClient::call(std::string_view method, const std::string& body,
                            std::chrono::seconds timeout) {
  if (impl_->cancelled) {
    ApiResponse response;
    response.description = "cancelled";
    return response;
  }
  const std::string target =
      impl_->base.path + "/bot" + impl_->endpoint.token + "/" + std::string(method);
  std::optional<ApiResponse> result;
  std::exception_ptr failure;
  impl_->io.restart();
  net::co_spawn(impl_->io, impl_->perform(target, body, timeout),
                [&](std::exception_ptr error, ApiResponse response) {
                  failure = error;
                  result = std::move(response);
                });
  impl_->io.run();
  if (failure || !result) {
    impl_->close();
    ApiResponse response;
    response.description = "the call failed";
    return response;
  }
  return *result;
}

}  // namespace lottery::telegram
