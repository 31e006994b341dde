#include "lottery/sms/http_sms_gateway.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <mutex>

namespace lottery::sms {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// A gateway's answer is read up to this size: only its status matters.
constexpr std::uint64_t kMaxAnswerBytes = 64ULL * 1024;

struct Url {
  bool secure{true};
  std::string host;
  std::string port;
  std::string target;  // path and query
};

std::optional<Url> parse_url(std::string_view url) {
  Url parsed;
  if (url.rfind("https://", 0) == 0) {
    url.remove_prefix(8);
  } else if (url.rfind("http://", 0) == 0) {
    parsed.secure = false;
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  // The authority ends where the path, the query or the fragment begins.
  const auto end = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, end);
  parsed.target = end == std::string_view::npos ? "/" : std::string(url.substr(end));
  if (parsed.target.front() != '/') parsed.target.insert(0, "/");
  std::string_view port;
  if (authority.starts_with('[')) {  // an IPv6 address: [::1]:8443
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parsed.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
    if (rest == ":") return std::nullopt;
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
  }
  if (port.find_first_not_of("0123456789") != std::string_view::npos || port.size() > 5) {
    return std::nullopt;
  }
  parsed.port = std::string(port);
  if (parsed.host.empty() || parsed.host.find_first_of(" @[]\t\r\n") != std::string::npos) {
    return std::nullopt;
  }
  if (parsed.port.empty()) parsed.port = parsed.secure ? "443" : "80";
  return parsed;
}

std::string percent_encoded(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0f];
    }
  }
  return encoded;
}

void replace_all(std::string& text, std::string_view placeholder, const std::string& value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

// SNI; the OpenSSL macro casts in the old style.
bool set_server_name(SSL* connection, const std::string& host) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  return SSL_set_tlsext_host_name(connection, host.c_str()) == 1;
#pragma GCC diagnostic pop
}

}  // namespace

std::optional<std::string> check(const GatewaySettings& settings) {
  if (!parse_url(settings.url_template)) {
    return "must be an http:// or https:// URL, e.g. "
           "https://sms.example/send?to={phone}&text={text}";
  }
  if (settings.url_template.find("{phone}") == std::string::npos ||
      settings.url_template.find("{text}") == std::string::npos) {
    return "must contain {phone} and {text}";
  }
  if (settings.method != "GET" && settings.method != "POST") return "method must be GET or POST";
  if (settings.authorization.find_first_of("\r\n") != std::string::npos) {
    return "the authorization must be one line";
  }
  return std::nullopt;
}

std::string message_url(const std::string& url_template, const std::string& phone,
                        const std::string& text) {
  std::string url = url_template;
  replace_all(url, "{phone}", percent_encoded(phone));
  replace_all(url, "{text}", percent_encoded(text));
  return url;
}

std::string code_text(const std::string& code) {
  return "Код подтверждения выигрыша: " + code + ". Никому его не сообщайте.";
}

struct HttpSmsGateway::Impl {
  explicit Impl(GatewaySettings settings_value) : settings(std::move(settings_value)) {
    tls.set_default_verify_paths();
    tls.set_verify_mode(ssl::verify_peer);
  }

  // Runs one operation to its end under the stream's deadline; its error.
  template <class Start>
  boost::system::error_code run(Start&& start) {
    boost::system::error_code result = net::error::operation_aborted;
    start([&result](boost::system::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }

  template <class Stream>
  bool exchange(Stream& stream, beast::tcp_stream& lowest, const Url& url) {
    http::request<http::empty_body> request{
        settings.method == "POST" ? http::verb::post : http::verb::get, url.target, 11};
    request.set(http::field::host, url.host);
    request.set(http::field::user_agent, "club-lottery-bot");
    if (!settings.authorization.empty()) {
      request.set(http::field::authorization, settings.authorization);
    }
    request.keep_alive(false);
    request.prepare_payload();
    lowest.expires_at(deadline);
    if (run([&](auto done) { http::async_write(stream, request, done); })) return false;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    lowest.expires_at(deadline);
    if (run([&](auto done) { http::async_read(stream, buffer, parser, done); })) return false;
    const unsigned status = parser.get().result_int();
    return status >= 200 && status < 300;
  }

  // One deadline for the whole message, the name lookup included: the winner's press
  // waits for it (with its update's transaction open), so it must stay short.
  bool send(const Url& url) {
    deadline = std::chrono::steady_clock::now() + settings.timeout;
    // The lookup's result lives with its handler: a lookup that outlasts the deadline
    // completes later, into state of its own.
    struct Lookup {
      bool done{false};
      boost::system::error_code error;
      tcp::resolver::results_type endpoints;
    };
    const auto lookup = std::make_shared<Lookup>();
    tcp::resolver resolver(io);
    resolver.async_resolve(
        url.host, url.port,
        [lookup](boost::system::error_code error, tcp::resolver::results_type found) {
          lookup->done = true;
          lookup->error = error;
          lookup->endpoints = std::move(found);
        });
    io.restart();
    io.run_until(deadline);
    if (!lookup->done || lookup->error) return false;
    const tcp::resolver::results_type endpoints = lookup->endpoints;
    if (!url.secure) {
      beast::tcp_stream stream(io);
      stream.expires_at(deadline);
      if (run([&](auto done) { stream.async_connect(endpoints, done); })) return false;
      return exchange(stream, stream, url);
    }
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    if (!set_server_name(stream.native_handle(), url.host)) return false;
    stream.set_verify_callback(ssl::host_name_verification(url.host));
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_at(deadline);
    if (run([&](auto done) { lowest.async_connect(endpoints, done); })) return false;
    lowest.expires_at(deadline);
    if (run([&](auto done) { stream.async_handshake(ssl::stream_base::client, done); })) {
      return false;
    }
    return exchange(stream, lowest, url);
  }

  GatewaySettings settings;
  std::chrono::steady_clock::time_point deadline;  // of the message being sent
  std::mutex mutex;                                // one request at a time on the one io_context
  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
};

HttpSmsGateway::HttpSmsGateway(GatewaySettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}

HttpSmsGateway::~HttpSmsGateway() = default;

bool HttpSmsGateway::send_code(const Phone& phone, const std::string& code) {
  const auto url =
      parse_url(message_url(impl_->settings.url_template, phone.str(), code_text(code)));
  if (!url) return false;
  const std::lock_guard lock(impl_->mutex);
  try {
    return impl_->send(*url);
  } catch (const std::exception&) {
    return false;  // the gateway's trouble is a message not sent, nothing more
  }
}

}  // namespace lottery::sms
