#pragma once

#include <cstdint>
#include <span>

namespace lottery {

// A source of random bytes. In production a cryptographically secure generator; a
// lottery's draw stream (DrawRandomness) is one too. Tests inject deterministic ones.
class RandomSource {
 public:
  virtual ~RandomSource() = default;

  // Fills `out` with the next bytes of the source.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace lottery
