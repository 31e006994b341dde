#pragma once

#include "lottery/ports/draw_randomness.hpp"

namespace lottery::system {

// The draw's cryptography on OpenSSL, as docs/FAIRNESS.md specifies byte for byte.
// A draw stream is HMAC-SHA256 in counter mode keyed with the lottery's secret seed;
// block i (i = 0, 1, ...) is HMAC-SHA256(seed, message || u64be(i)) where, in version 2,
//   message = "club-lottery/draw/v2" || u64be(lottery id) || entries hash (32 bytes)
//             || u64be(byte length of the public value) || public value (UTF-8)
// and in version 1 (lotteries drawn before verifiable draws)
//   message = "club-lottery/draw/v1" || u64be(lottery id).
// The commitment is SHA-256(seed); the entries hash starts as 32 zero bytes and each
// entry makes it SHA-256(previous || u64be(ordinal) || account number as XX-XX-...-XX).
class HmacDrawRandomness : public DrawRandomness {
 public:
  static constexpr std::string_view kLabelV1 = "club-lottery/draw/v1";
  static constexpr std::string_view kLabelV2 = "club-lottery/draw/v2";

  std::unique_ptr<RandomSource> stream(const DrawInput& input) override;
  Digest commitment(const DrawSeed& seed) override;
  Digest extend_entries(const Digest& previous, std::uint64_t ordinal,
                        const AccountNumber& number) override;
};

}  // namespace lottery::system
