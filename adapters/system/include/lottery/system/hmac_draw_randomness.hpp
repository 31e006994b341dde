#pragma once

#include "lottery/ports/draw_randomness.hpp"

namespace lottery::system {

// A lottery's draw stream: HMAC-SHA256 in counter mode keyed with the lottery's
// secret seed. Block i (i = 0, 1, ...) is
//   HMAC-SHA256(seed, "club-lottery/draw/v1" || u64be(lottery id) || u64be(i))
// and the stream is the concatenation of the blocks. Anyone holding the revealed
// seed can recompute it; without the seed it cannot be predicted.
class HmacDrawRandomness : public DrawRandomness {
 public:
  static constexpr std::string_view kLabel = "club-lottery/draw/v1";

  std::unique_ptr<RandomSource> stream(LotteryId lottery, const DrawSeed& seed) override;
};

}  // namespace lottery::system
