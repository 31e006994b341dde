#pragma once

#include <string>

#include "lottery/core/utc_zone.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::testing {

// A zone a fixed number of hours from UTC with a name of its own: deterministic civil
// times for tests of what people are shown (the real zones are tested in the system
// adapter's tests).
class FixedOffsetZone final : public TimeZone {
 public:
  FixedOffsetZone(int hours, std::string abbreviation)
      : offset_(hours), abbreviation_(std::move(abbreviation)) {}

  [[nodiscard]] CivilTime civil(Instant at) const override {
    CivilTime civil = UtcZone().civil(at + offset_);
    civil.abbreviation = abbreviation_;
    return civil;
  }

 private:
  std::chrono::hours offset_;
  std::string abbreviation_;
};

}  // namespace lottery::testing
