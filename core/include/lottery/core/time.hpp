#pragma once

#include <chrono>

namespace lottery {

// A point in UTC time with the precision databases keep (microseconds).
using Instant = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

}  // namespace lottery
