#include "lottery/system/system_clock.hpp"

#include <algorithm>
#include <chrono>

namespace lottery::system {

Instant SystemClock::now() {
  const auto current = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  last_ = std::max(last_, Instant{current.time_since_epoch()});
  return last_;
}

}  // namespace lottery::system
