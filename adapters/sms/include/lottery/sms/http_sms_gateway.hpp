#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "lottery/ports/sms_gateway.hpp"

namespace lottery::sms {

// How to reach the club's SMS gateway (SMS_GATEWAY_* settings).
struct GatewaySettings {
  // http(s)://host[:port]/path?query with {phone} and {text} where the gateway wants
  // them; both are percent-encoded when put in.
  std::string url_template;
  std::string method{"GET"};  // GET, or POST (the same URL, an empty body)
  // The Authorization header's value ("Bearer …", "Basic …"), from the environment;
  // empty for none. Never logged.
  std::string authorization;
  // For the whole message (name lookup, connection, TLS, request, answer).
  std::chrono::seconds timeout{5};
};

// What is wrong with the settings, if anything: checked at start like every setting.
[[nodiscard]] std::optional<std::string> check(const GatewaySettings& settings);

// The URL of one message: the template with the phone and text percent-encoded in.
[[nodiscard]] std::string message_url(const std::string& url_template, const std::string& phone,
                                      const std::string& text);

// The SMS text of a one-time code, in the club's words (Russian).
[[nodiscard]] std::string code_text(const std::string& code);

// Sends each code with one HTTP request; a 2xx answer is an accepted message. One
// request at a time (the bot's updates are handled on several threads).
class HttpSmsGateway final : public SmsGateway {
 public:
  explicit HttpSmsGateway(GatewaySettings settings);
  ~HttpSmsGateway() override;
  HttpSmsGateway(const HttpSmsGateway&) = delete;
  HttpSmsGateway& operator=(const HttpSmsGateway&) = delete;
  HttpSmsGateway(HttpSmsGateway&&) = delete;
  HttpSmsGateway& operator=(HttpSmsGateway&&) = delete;

  [[nodiscard]] bool send_code(const Phone& phone, const std::string& code) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::sms
