#pragma once

#include "lottery/core/time.hpp"

namespace lottery {

// The current time. The core never reads a clock of its own.
class Clock {
 public:
  virtual ~Clock() = default;

  // The current UTC time; successive calls never go backwards.
  [[nodiscard]] virtual Instant now() = 0;
};

}  // namespace lottery
