#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/random.hpp"
#include "lottery/core/verification_code.hpp"
#include "lottery/ports/random_source.hpp"
#include "support.hpp"

namespace lottery {
namespace {

constexpr std::size_t kMaxInputLength = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// At most `limit` bytes of UTF-8 text, never cutting a character in two.
std::string prefix(std::string_view text, std::size_t limit = kMaxInputLength) {
  if (text.size() <= limit) return std::string(text);
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

using detail::trim;

char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

Result<ClubCard> ClubCard::parse(std::string_view text) {
  std::string_view digits = trim(text);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) {
    return fail(ErrorCode::kInvalidClubCard, prefix(text));
  }
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.empty() || digits.size() > kMaxDigits) {
    return fail(ErrorCode::kInvalidClubCard, prefix(text));
  }
  return ClubCard(std::string(digits));
}

Result<ClubCard> ClubCard::from_storage(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxDigits ||
      !std::all_of(digits.begin(), digits.end(), is_digit)) {
    return fail(ErrorCode::kInvalidClubCard, prefix(digits));
  }
  return ClubCard(std::string(digits));
}

Result<AccountNumber> AccountNumber::parse(std::string_view text) {
  const std::string_view input = trim(text);
  std::string digits;
  bool well_formed = input.size() <= kMaxInputLength;
  if (well_formed && std::all_of(input.begin(), input.end(), is_digit)) {
    digits = std::string(input);
    well_formed = digits.size() == kGroups * 2;
  } else if (well_formed) {
    // Seven groups of two digits, each pair of groups separated by one dash, dot or
    // run of spaces.
    std::size_t position = 0;
    for (std::size_t group = 0; well_formed && group < kGroups; ++group) {
      if (group > 0) {
        const char separator = position < input.size() ? input[position] : '\0';
        if (separator == '-' || separator == '.') {
          ++position;
        } else if (separator == ' ') {
          while (position < input.size() && input[position] == ' ') ++position;
        } else {
          well_formed = false;
          break;
        }
      }
      if (position + 2 > input.size() || !is_digit(input[position]) ||
          !is_digit(input[position + 1])) {
        well_formed = false;
        break;
      }
      digits.append(input.substr(position, 2));
      position += 2;
    }
    well_formed = well_formed && position == input.size();
  }
  if (!well_formed) {
    return fail(ErrorCode::kInvalidAccountNumber, prefix(text));
  }
  std::string canonical;
  canonical.reserve(kFormat.size());
  for (std::size_t group = 0; group < kGroups; ++group) {
    if (group > 0) canonical.push_back('-');
    canonical.append(digits, group * 2, 2);
  }
  return AccountNumber(std::move(canonical));
}

Result<VerificationCode> VerificationCode::parse(std::string_view text) {
  const std::string_view input = trim(text);
  std::string code;
  if (input.size() == kLength) {
    for (const char c : input) code.push_back(to_upper(c));
  }
  const bool valid = code.size() == kLength && std::all_of(code.begin(), code.end(), [](char c) {
                       return is_digit(c) || (c >= 'A' && c <= 'Z');
                     });
  if (!valid) {
    return fail(ErrorCode::kInvalidVerificationCode, prefix(text));
  }
  return VerificationCode(std::move(code));
}

VerificationCode VerificationCode::generate(RandomSource& random) {
  std::string code;
  code.reserve(kLength);
  for (std::size_t i = 0; i < kLength; ++i) {
    code.push_back(kAlphabet[uniform_below(random, kAlphabet.size())]);
  }
  return VerificationCode(std::move(code));
}

Result<Phone> Phone::parse(std::string_view text) {
  constexpr std::size_t kMinDigits = 7;
  constexpr std::size_t kMaxDigits = 15;
  const std::string_view input = trim(text);
  std::string normalised = "+";
  bool valid = !input.empty() && input.size() <= kMaxInputLength;
  for (std::size_t i = 0; valid && i < input.size(); ++i) {
    const char c = input[i];
    if (is_digit(c)) {
      normalised.push_back(c);
    } else if (c == '+') {
      valid = i == 0;
    } else {
      valid = c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
    }
  }
  const std::size_t digit_count = normalised.size() - 1;
  if (!valid || digit_count < kMinDigits || digit_count > kMaxDigits) {
    return fail(ErrorCode::kInvalidPhone, prefix(text));
  }
  return Phone(std::move(normalised));
}

std::uint64_t uniform_below(RandomSource& random, std::uint64_t bound) {
  if (bound <= 1) return 0;
  const std::uint64_t largest = bound - 1;
  int bits = 0;
  while (bits < 64 && (largest >> bits) != 0) ++bits;
  const std::size_t bytes = static_cast<std::size_t>((bits + 7) / 8);
  const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  std::array<std::uint8_t, 8> buffer{};
  for (;;) {
    random.fill(std::span<std::uint8_t>(buffer.data(), bytes));
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) value = (value << 8) | buffer[i];
    value &= mask;
    if (value < bound) return value;
  }
}

}  // namespace lottery
