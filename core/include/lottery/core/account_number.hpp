#pragma once

#include <string>
#include <string_view>

#include "lottery/core/error.hpp"

namespace lottery {

// An account number in the club's canonical form XX-XX-XX-XX-XX-XX-XX.
class AccountNumber {
 public:
  static constexpr std::string_view kFormat = "XX-XX-XX-XX-XX-XX-XX";
  static constexpr std::size_t kGroups = 7;

  // Accepts 14 digits written together (11223344556677) or in seven groups of two
  // separated by dashes, dots or spaces (11 22 33 44 55 66 77); refuses the rest.
  [[nodiscard]] static Result<AccountNumber> parse(std::string_view text);

  [[nodiscard]] const std::string& str() const { return canonical_; }

  friend auto operator<=>(const AccountNumber&, const AccountNumber&) = default;

 private:
  explicit AccountNumber(std::string canonical) : canonical_(std::move(canonical)) {}
  std::string canonical_;
};

}  // namespace lottery
