#pragma once

#include <string>
#include <string_view>

#include "lottery/core/error.hpp"

namespace lottery {

// A phone number normalised to '+' and 7 to 15 digits (the E.164 limit).
class Phone {
 public:
  // Accepts an optional leading '+', digits, and the usual separators
  // (spaces, dashes, dots, parentheses), as typed or as Telegram shares contacts.
  [[nodiscard]] static Result<Phone> parse(std::string_view text);

  [[nodiscard]] const std::string& str() const { return normalised_; }

  friend auto operator<=>(const Phone&, const Phone&) = default;

 private:
  explicit Phone(std::string normalised) : normalised_(std::move(normalised)) {}
  std::string normalised_;
};

}  // namespace lottery
