#pragma once

#include <string>
#include <string_view>

#include "lottery/core/error.hpp"

namespace lottery {

// A club card number: 1 to 20 digits, kept as text so leading zeros survive.
class ClubCard {
 public:
  static constexpr std::size_t kMaxDigits = 20;

  // Accepts the digits with surrounding white space; refuses anything else.
  [[nodiscard]] static Result<ClubCard> parse(std::string_view text);

  [[nodiscard]] const std::string& str() const { return digits_; }

  friend auto operator<=>(const ClubCard&, const ClubCard&) = default;

 private:
  explicit ClubCard(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace lottery
