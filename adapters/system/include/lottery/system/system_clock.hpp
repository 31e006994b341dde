#pragma once

#include <mutex>

#include "lottery/ports/clock.hpp"

namespace lottery::system {

// The machine's UTC clock, never going backwards even when the system time is
// stepped back (a later call returns at least what an earlier one did).
class SystemClock : public Clock {
 public:
  Instant now() override;

 private:
  std::mutex mutex_;
  Instant last_{};
};

}  // namespace lottery::system
