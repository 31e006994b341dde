#pragma once

#include <cstdint>

namespace lottery {

class RandomSource;

// An unbiased integer in [0, bound) (bound >= 1). Reads the fewest whole bytes that
// hold bound - 1, big-endian, masks them to its bit width, and rejects values
// >= bound (bitmask rejection: no modulo bias, under two reads on average).
// A bound of 1 reads nothing. Specified byte for byte in docs/DRAW.md.
[[nodiscard]] std::uint64_t uniform_below(RandomSource& random, std::uint64_t bound);

}  // namespace lottery
