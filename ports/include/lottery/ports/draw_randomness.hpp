#pragma once

#include <memory>

#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/ports/random_source.hpp"

namespace lottery {

// Derives a lottery's draw stream from its secret seed. The same lottery and seed
// always give the same byte stream, so a redraw can replay the draw's shuffle and a
// published draw can be checked once the seed is revealed.
class DrawRandomness {
 public:
  virtual ~DrawRandomness() = default;

  // A fresh stream from its first byte for this lottery and seed.
  [[nodiscard]] virtual std::unique_ptr<RandomSource> stream(LotteryId lottery,
                                                             const DrawSeed& seed) = 0;
};

}  // namespace lottery
