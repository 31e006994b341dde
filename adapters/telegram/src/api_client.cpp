#include "lottery/telegram/api_client.hpp"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
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

  // Runs one asynchronous operation to its end on this thread, under the stream's
  // deadline (set before each operation), and returns its error.
  template <class Start>
  boost::system::error_code run(Start&& start) {
    boost::system::error_code result = net::error::operation_aborted;
    start([&result](boost::system::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }

  std::optional<ApiResponse> connect(std::chrono::seconds timeout) {
    tcp::resolver resolver(io);
    tcp::resolver::results_type endpoints;
    boost::system::error_code resolve_error = net::error::operation_aborted;
    resolver.async_resolve(base.host, base.port,
                           [&](boost::system::error_code error, tcp::resolver::results_type found) {
                             resolve_error = error;
                             endpoints = std::move(found);
                           });
    io.restart();
    io.run();
    if (resolve_error) return network_failure("resolve", resolve_error);
    if (base.secure) {
      secure.emplace(io, tls);
      // SNI, and the certificate must name the host.
      if (!set_server_name(secure->native_handle(), base.host)) {
        return network_failure("tls", net::error::invalid_argument);
      }
      secure->set_verify_callback(ssl::host_name_verification(base.host));
    } else {
      plain.emplace(io);
    }
    lowest().expires_after(timeout);
    if (const auto error = run([&](auto done) { lowest().async_connect(endpoints, done); })) {
      return network_failure("connect", error);
    }
    lowest().socket().set_option(tcp::no_delay(true));
    if (secure) {
      lowest().expires_after(timeout);
      if (const auto error =
              run([&](auto done) { secure->async_handshake(ssl::stream_base::client, done); })) {
        return network_failure("tls handshake", error);
      }
    }
    return std::nullopt;
  }

  template <class Stream>
  ApiResponse exchange(Stream& stream, http::request<http::string_body>& request,
                       std::chrono::seconds timeout) {
    lowest().expires_after(timeout);
    if (const auto error = run([&](auto done) { http::async_write(stream, request, done); })) {
      return network_failure("send", error);
    }
    http::response<http::string_body> response;
    lowest().expires_after(timeout);
    if (const auto error =
            run([&](auto done) { http::async_read(stream, buffer, response, done); })) {
      return network_failure("receive", error);
    }
    ApiResponse parsed = parse_response(response.body(), static_cast<int>(response.result_int()));
    if (!response.keep_alive()) close();
    return parsed;
  }

  ApiResponse perform(const std::string& target, std::string body, std::chrono::seconds timeout,
                      const std::string& content_type) {
    if (!plain && !secure) {
      if (auto failure = connect(timeout)) {
        close();
        return *failure;
      }
    }
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::host, base.host);
    request.set(http::field::user_agent, "club-lottery-bot");
    request.set(http::field::content_type, content_type);
    request.keep_alive(true);
    request.body() = std::move(body);
    request.prepare_payload();
    ApiResponse response =
        secure ? exchange(*secure, request, timeout) : exchange(*plain, request, timeout);
    if (!response.ok && response.error_code == 0) close();
    return response;
  }
};

ApiClient::ApiClient(ApiEndpoint endpoint) : impl_(std::make_unique<Impl>(std::move(endpoint))) {}

ApiClient::~ApiClient() = default;

void ApiClient::cancel() {
  impl_->cancelled = true;
  // Only the socket is closed here: the pending operation then ends with an error,
  // and perform() drops the streams once it has returned (a stream must outlive the
  // operations on it).
  net::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    if (impl->plain) impl->plain->socket().close(ignored);
    if (impl->secure) beast::get_lowest_layer(*impl->secure).socket().close(ignored);
  });
}

ApiResponse ApiClient::call(std::string_view method, const std::string& body,
                            std::chrono::seconds timeout, const std::string& content_type) {
  if (impl_->cancelled) {
    ApiResponse response;
    response.description = "cancelled";
    return response;
  }
  const std::string target =
      impl_->base.path + "/bot" + impl_->endpoint.token + "/" + std::string(method);
  try {
    return impl_->perform(target, body, timeout, content_type);
  } catch (const std::exception& error) {
    impl_->close();
    ApiResponse response;
    response.description = std::string("the call failed: ") + error.what();
    return response;
  }
}

}  // namespace lottery::telegram
