#pragma once

// A local SMS gateway speaking plain HTTP on loopback, for the SMS adapter's tests: it
// records each request and answers with the status it is told to, or not at all.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lottery::testing {

class FakeSmsGateway {
 public:
  struct Request {
    std::string method;
    std::string target;
    std::string authorization;
  };

  FakeSmsGateway() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmsGateway() {
    stopping_ = true;
    boost::system::error_code ignored;
    // Wakes the blocking accept with a connection of our own.
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  FakeSmsGateway(const FakeSmsGateway&) = delete;
  FakeSmsGateway& operator=(const FakeSmsGateway&) = delete;

  [[nodiscard]] std::string url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path_and_query;
  }
  [[nodiscard]] std::vector<Request> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

  std::atomic<int> status{200};
  std::atomic<bool> silent{false};  // read the request, never answer

 private:
  void serve() {
    namespace http = boost::beast::http;
    while (!stopping_) {
      boost::system::error_code error;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, error);
      if (error || stopping_) continue;
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request, error);
      if (error) continue;
      {
        const std::lock_guard lock(mutex_);
        requests_.push_back(Request{std::string(request.method_string()),
                                    std::string(request.target()),
                                    std::string(request[http::field::authorization])});
      }
      if (silent) {
        kept_.push_back(std::move(socket));  // open and quiet until the test ends
        continue;
      }
      http::response<http::string_body> response{static_cast<http::status>(status.load()), 11};
      response.body() = "{\"status\":\"OK\"}";
      response.prepare_payload();
      http::write(socket, response, error);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  std::vector<boost::asio::ip::tcp::socket> kept_;
};

}  // namespace lottery::testing
