#pragma once

#include <string>

#include "lottery/ports/time_zone.hpp"

namespace lottery {

// UTC as a time zone: for tests and for tools that show times as stored.
class UtcZone final : public TimeZone {
 public:
  [[nodiscard]] CivilTime civil(Instant at) const override;
};

// "27.11.2026 13:00 MSK": how people are shown an instant, in the club's zone
// (R-TIME-1); the chat and lotteryctl's tables alike.
[[nodiscard]] std::string shown_time(Instant at, const TimeZone& zone);

}  // namespace lottery
