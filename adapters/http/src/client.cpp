#include "lottery/http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace lottery::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// SNI; the OpenSSL macro casts in the old style.
bool set_server_name(SSL* connection, const std::string& host) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
  return SSL_set_tlsext_host_name(connection, host.c_str()) == 1;
#pragma GCC diagnostic pop
}

Failure failure(std::string_view stage, const boost::system::error_code& error) {
  return Failure{std::string(stage) + ": " + error.message()};
}

// Splits "host[:port]" or "[v6]:port"; false when the authority is malformed.
bool split_authority(std::string_view authority, Url& parsed) {
  std::string_view port;
  if (authority.starts_with('[')) {  // an IPv6 address: [::1]:8443
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    parsed.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.size() == 1)) return false;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return false;
    }
  }
  if (port.find_first_not_of("0123456789") != std::string_view::npos || port.size() > 5) {
    return false;
  }
  parsed.port = std::string(port);
  return !parsed.host.empty() && parsed.host.find_first_of(" @[]\t\r\n") == std::string::npos;
}

}  // namespace

std::optional<Url> parse_url(std::string_view url) {
  Url parsed;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    parsed.secure = false;
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  if (url.find_first_of("\r\n") != std::string_view::npos) return std::nullopt;
  // The authority ends where the path, the query or the fragment begins.
  const auto end = url.find_first_of("/?#");
  if (!split_authority(url.substr(0, end), parsed)) return std::nullopt;
  parsed.target = end == std::string_view::npos ? "/" : std::string(url.substr(end));
  if (parsed.target.front() != '/') parsed.target.insert(0, "/");
  if (parsed.port.empty()) parsed.port = parsed.secure ? "443" : "80";
  return parsed;
}

struct Connection::Impl {
  explicit Impl(const std::string& ca_file) {
    tls.set_default_verify_paths();
    if (!ca_file.empty()) tls.load_verify_file(ca_file);
    tls.set_verify_mode(ssl::verify_peer);
  }

  using Plain = beast::tcp_stream;
  using Secure = beast::ssl_stream<beast::tcp_stream>;

  net::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::optional<Plain> plain;
  std::optional<Secure> secure;
  beast::flat_buffer buffer;
  std::string host;  // the Host header of the open connection

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  void close() {
    boost::system::error_code ignored;
    if (plain) plain->socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    plain.reset();
    secure.reset();
    buffer.clear();
  }

  // Runs one operation to its end on this thread under the stream's deadline (set
  // before each operation); its error.
  template <class Start>
  boost::system::error_code run(Start&& start) {
    boost::system::error_code result = net::error::operation_aborted;
    start([&result](boost::system::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }

  // The name lookup has no deadline of its own: it runs until the caller's, and its
  // result lives with its handler, so a lookup that outlasts the deadline completes
  // later into state of its own.
  tl::expected<tcp::resolver::results_type, Failure> resolve(const Url& url,
                                                             Clock::time_point deadline) {
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
    if (!lookup->done) return tl::unexpected(failure("resolve", net::error::timed_out));
    if (lookup->error) return tl::unexpected(failure("resolve", lookup->error));
    return lookup->endpoints;
  }

  std::optional<Failure> open(const Url& url, Clock::time_point deadline) {
    close();
    const auto endpoints = resolve(url, deadline);
    if (!endpoints) return endpoints.error();
    if (url.secure) {
      secure.emplace(io, tls);
      if (!set_server_name(secure->native_handle(), url.host)) {
        return failure("tls", net::error::invalid_argument);
      }
      secure->set_verify_callback(ssl::host_name_verification(url.host));
    } else {
      plain.emplace(io);
    }
    lowest().expires_at(deadline);
    if (const auto error = run([&](auto done) { lowest().async_connect(*endpoints, done); })) {
      return failure("connect", error);
    }
    lowest().socket().set_option(tcp::no_delay(true));
    if (secure) {
      lowest().expires_at(deadline);
      if (const auto error =
              run([&](auto done) { secure->async_handshake(ssl::stream_base::client, done); })) {
        return failure("tls handshake", error);
      }
    }
    // The Host header (RFC 9110): an IPv6 address in brackets, a port not the scheme's.
    host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
    if (url.port != (url.secure ? "443" : "80")) host += ":" + url.port;
    return std::nullopt;
  }

  template <class Stream>
  tl::expected<Response, Failure> exchange(Stream& stream,
                                           beast::http::request<beast::http::string_body>& request,
                                           Clock::time_point deadline, std::uint64_t body_limit) {
    lowest().expires_at(deadline);
    if (const auto error =
            run([&](auto done) { beast::http::async_write(stream, request, done); })) {
      return tl::unexpected(failure("send", error));
    }
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(body_limit);
    lowest().expires_at(deadline);
    if (const auto error =
            run([&](auto done) { beast::http::async_read(stream, buffer, parser, done); })) {
      return tl::unexpected(failure("receive", error));
    }
    Response response;
    response.status = parser.get().result_int();
    response.keep_alive = parser.get().keep_alive();
    response.body = std::move(parser.get().body());
    return response;
  }
};

Connection::Connection(const std::string& ca_file) : impl_(std::make_unique<Impl>(ca_file)) {}

Connection::~Connection() = default;

std::optional<Failure> Connection::open(const Url& url, Clock::time_point deadline) {
  auto failed = impl_->open(url, deadline);
  if (failed) impl_->close();
  return failed;
}

bool Connection::is_open() const { return impl_->plain || impl_->secure; }

tl::expected<Response, Failure> Connection::exchange(Request request, Clock::time_point deadline,
                                                     std::uint64_t body_limit) {
  if (!is_open()) return tl::unexpected(Failure{"send: not connected"});
  beast::http::request<beast::http::string_body> message{
      request.method == "POST" ? beast::http::verb::post : beast::http::verb::get, request.target,
      11};
  message.set(beast::http::field::host, impl_->host);
  message.set(beast::http::field::user_agent, "club-lottery-bot");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.keep_alive(request.keep_alive);
  message.body() = std::move(request.body);
  message.prepare_payload();
  auto answer = impl_->secure ? impl_->exchange(*impl_->secure, message, deadline, body_limit)
                              : impl_->exchange(*impl_->plain, message, deadline, body_limit);
  if (!answer || !answer->keep_alive) impl_->close();
  return answer;
}

void Connection::close() { impl_->close(); }

void Connection::interrupt() {
  // Only the socket is closed here: the pending operation then ends with an error, and
  // the streams are dropped by the thread that runs them (a stream must outlive the
  // operations on it).
  net::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    if (impl->plain) impl->plain->socket().close(ignored);
    if (impl->secure) beast::get_lowest_layer(*impl->secure).socket().close(ignored);
  });
}

}  // namespace lottery::http
