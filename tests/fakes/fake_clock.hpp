#pragma once

#include <chrono>
#include <mutex>

#include "lottery/ports/clock.hpp"

namespace lottery::testing {

// A clock that stands still until a test moves it.
class FakeClock : public Clock {
 public:
  // 2026-01-01T10:00:00Z: an arbitrary fixed start, so tests never see real time.
  static constexpr Instant kStart{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1} +
                                  std::chrono::hours{10}};

  explicit FakeClock(Instant start = kStart) : now_(start) {}

  Instant now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void advance(Duration by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }
  void set(Instant to) {
    std::lock_guard lock(mutex_);
    now_ = to;
  }

 private:
  std::mutex mutex_;
  Instant now_;
};

}  // namespace lottery::testing
