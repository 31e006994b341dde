#pragma once

#include <string>
#include <string_view>

#include "lottery/core/error.hpp"

namespace lottery {

// A club card number: 1 to 20 digits, the first not a zero. Leading zeros typed by a
// person are dropped (02223 is card 2223), so look-alikes cannot be two cards.
class ClubCard {
 public:
  static constexpr std::size_t kMaxDigits = 20;

  // Accepts the digits with surrounding white space, without their leading zeros;
  // refuses anything else, and a card of zeros only.
  [[nodiscard]] static Result<ClubCard> parse(std::string_view text);
  // A card as a store holds it: 1 to 20 digits, taken as they are (a card stored
  // before leading zeros were dropped stays readable).
  [[nodiscard]] static Result<ClubCard> from_storage(std::string_view digits);

  [[nodiscard]] const std::string& str() const { return digits_; }

  friend auto operator<=>(const ClubCard&, const ClubCard&) = default;

 private:
  explicit ClubCard(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace lottery
