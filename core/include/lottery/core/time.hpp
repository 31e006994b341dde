#pragma once

#include <chrono>
#include <string>

namespace lottery {

// A point in UTC time with the precision databases keep (microseconds).
using Instant = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

// ISO 8601 in UTC to the second, "2026-03-01T18:00:00Z": the form exports use.
[[nodiscard]] std::string iso_time(Instant at);

}  // namespace lottery
