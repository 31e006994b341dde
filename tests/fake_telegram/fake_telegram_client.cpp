// The requests a test makes to the bot's own HTTP server (its webhook, /healthz),
// one connection each.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "fake_telegram.hpp"

namespace lottery::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

std::pair<int, std::string> request(std::uint16_t port, http::verb verb, const std::string& target,
                                    const std::string& secret, const std::string& body) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> message{verb, target, 11};
  message.set(http::field::host, "127.0.0.1");
  message.set(http::field::content_type, "application/json");
  if (!secret.empty()) message.set("X-Telegram-Bot-Api-Secret-Token", secret);
  message.body() = body;
  message.prepare_payload();
  http::write(stream, message);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  return {static_cast<int>(response.result_int()), response.body()};
}

}  // namespace

std::pair<int, std::string> FakeTelegram::post_webhook(std::uint16_t port,
                                                       const std::string& target,
                                                       const std::string& secret,
                                                       const std::string& body) {
  return request(port, http::verb::post, target, secret, body);
}

std::pair<int, std::string> FakeTelegram::get(std::uint16_t port, const std::string& target) {
  return request(port, http::verb::get, target, "", "");
}

}  // namespace lottery::testing
