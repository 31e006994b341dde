#pragma once

#include <string>

#include "lottery/core/phone.hpp"

namespace lottery {

// Text messages to a phone, for the optional second factor (R-2FA-1).
class SmsGateway {
 public:
  virtual ~SmsGateway() = default;

  // Sends the one-time `code` to `phone` in the club's words; true when the gateway
  // accepted it. Never throws.
  [[nodiscard]] virtual bool send_code(const Phone& phone, const std::string& code) = 0;
};

}  // namespace lottery
