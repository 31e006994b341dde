#pragma once

#include <memory>
#include <string>

#include "lottery/ports/time_zone.hpp"

namespace lottery::system {

// A zone of the system's tz database (tzdata, /usr/share/zoneinfo), read through Howard
// Hinnant's date library: the rules, daylight saving included, are the system's.
class TzDatabaseZone final : public TimeZone {
 public:
  // The zone with this IANA name ("Europe/Moscow"); nothing when the tz database has
  // no such zone.
  [[nodiscard]] static std::unique_ptr<TzDatabaseZone> locate(const std::string& name);

  [[nodiscard]] CivilTime civil(Instant at) const override;

 private:
  explicit TzDatabaseZone(const void* zone) : zone_(zone) {}
  const void* zone_;  // a date::time_zone, owned by the library's database
};

}  // namespace lottery::system
