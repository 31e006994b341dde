#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lottery/ports/sms_gateway.hpp"

namespace lottery::testing {

// An SMS gateway that keeps what it was asked to send, and can be told to refuse.
class RecordingSmsGateway final : public SmsGateway {
 public:
  [[nodiscard]] bool send_code(const Phone& phone, const std::string& code) override {
    sent.emplace_back(phone.str(), code);
    return accepts;
  }

  std::vector<std::pair<std::string, std::string>> sent;  // phone, code
  bool accepts{true};
};

}  // namespace lottery::testing
