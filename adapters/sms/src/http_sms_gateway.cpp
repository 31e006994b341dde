#include "lottery/sms/http_sms_gateway.hpp"

#include <cctype>
#include <mutex>

#include "lottery/http/client.hpp"

namespace lottery::sms {

namespace {

// A gateway's answer is read up to this size: only its status matters.
constexpr std::uint64_t kMaxAnswerBytes = 64ULL * 1024;

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

}  // namespace

std::optional<std::string> check(const GatewaySettings& settings) {
  if (!http::parse_url(settings.url_template)) {
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
  explicit Impl(GatewaySettings settings_value) : settings(std::move(settings_value)) {}

  // One deadline for the whole message, the name lookup included: the winner's press
  // waits for it (with its update's transaction open), so it must stay short.
  bool send(const http::Url& url) {
    const auto deadline = std::chrono::steady_clock::now() + settings.timeout;
    if (connection.open(url, deadline)) return false;
    http::Request request;
    request.method = settings.method;
    request.target = url.target;
    if (!settings.authorization.empty()) {
      request.headers.emplace_back("Authorization", settings.authorization);
    }
    const auto answer = connection.exchange(std::move(request), deadline, kMaxAnswerBytes);
    connection.close();
    return answer && answer->status >= 200 && answer->status < 300;
  }

  GatewaySettings settings;
  std::mutex mutex;  // one request at a time on the one connection
  http::Connection connection;
};

HttpSmsGateway::HttpSmsGateway(GatewaySettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}

HttpSmsGateway::~HttpSmsGateway() = default;

bool HttpSmsGateway::send_code(const Phone& phone, const std::string& code) {
  const auto url =
      http::parse_url(message_url(impl_->settings.url_template, phone.str(), code_text(code)));
  if (!url) return false;
  const std::lock_guard lock(impl_->mutex);
  try {
    return impl_->send(*url);
  } catch (const std::exception&) {
    return false;  // the gateway's trouble is a message not sent, nothing more
  }
}

}  // namespace lottery::sms
