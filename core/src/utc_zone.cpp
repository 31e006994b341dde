#include "lottery/core/utc_zone.hpp"

#include <cstdio>

namespace lottery {

CivilTime UtcZone::civil(Instant at) const {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::minutes>(at - day)};
  return CivilTime{static_cast<int>(date.year()),
                   static_cast<unsigned>(date.month()),
                   static_cast<unsigned>(date.day()),
                   static_cast<int>(time.hours().count()),
                   static_cast<int>(time.minutes().count()),
                   "UTC"};
}

std::string shown_time(Instant at, const TimeZone& zone) {
  const CivilTime civil = zone.civil(at);
  char text[32];
  std::snprintf(text, sizeof text, "%02u.%02u.%04d %02d:%02d ", civil.day, civil.month, civil.year,
                civil.hour, civil.minute);
  return text + civil.abbreviation;
}

}  // namespace lottery
