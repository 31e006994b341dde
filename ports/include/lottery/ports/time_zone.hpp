#pragma once

#include <string>

#include "lottery/core/time.hpp"

namespace lottery {

// What a clock on the wall shows at an instant, in one zone.
struct CivilTime {
  int year{1970};
  unsigned month{1};  // 1-12
  unsigned day{1};    // 1-31
  int hour{0};
  int minute{0};
  std::string abbreviation;  // the zone's name for that moment: "MSK", "CEST", "+05"
};

// The club's time zone (R-TIME-1): times are stored as UTC instants and turned into the
// zone's civil time only to be shown to people.
class TimeZone {
 public:
  virtual ~TimeZone() = default;

  // The civil time at `at`, daylight saving included.
  [[nodiscard]] virtual CivilTime civil(Instant at) const = 0;
};

}  // namespace lottery
