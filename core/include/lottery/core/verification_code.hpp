#pragma once

#include <string>
#include <string_view>

#include "lottery/core/error.hpp"

namespace lottery {

class RandomSource;

// The secret a winner tells an admin: 8 characters. New codes come from an alphabet
// without the look-alikes 0, O, 1, I and L, so they survive being read out over the
// phone; codes the first bot issued (any letters and digits) stay valid.
class VerificationCode {
 public:
  static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  static constexpr std::size_t kLength = 8;

  // 8 Latin letters and digits, case-insensitive; surrounding white space is ignored.
  [[nodiscard]] static Result<VerificationCode> parse(std::string_view text);

  // Each character uniformly from the alphabet, from the (secure) random source.
  [[nodiscard]] static VerificationCode generate(RandomSource& random);

  [[nodiscard]] const std::string& str() const { return code_; }

  friend auto operator<=>(const VerificationCode&, const VerificationCode&) = default;

 private:
  explicit VerificationCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

}  // namespace lottery
