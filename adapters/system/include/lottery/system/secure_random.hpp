#pragma once

#include "lottery/ports/random_source.hpp"

namespace lottery::system {

// The kernel's cryptographically secure generator (getrandom(2)).
class SecureRandom : public RandomSource {
 public:
  // Throws std::system_error if the kernel cannot deliver (it practically never fails).
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace lottery::system
