#include "lottery/system/tz_database_zone.hpp"

#include <date/tz.h>

#include <exception>

namespace lottery::system {
namespace {

const date::time_zone* as_zone(const void* zone) {
  return static_cast<const date::time_zone*>(zone);
}

}  // namespace

std::unique_ptr<TzDatabaseZone> TzDatabaseZone::locate(const std::string& name) {
  // The library throws for an unknown name, or when the database cannot be read.
  try {
    if (name.empty() || name.size() > 64) return nullptr;
    const date::time_zone* zone = date::locate_zone(name);
    return std::unique_ptr<TzDatabaseZone>(new TzDatabaseZone(zone));
  } catch (const std::exception&) {
    return nullptr;
  }
}

CivilTime TzDatabaseZone::civil(Instant at) const {
  const date::zoned_time<std::chrono::microseconds> zoned{as_zone(zone_), at};
  const auto info = zoned.get_info();
  const auto local = zoned.get_local_time();
  const auto day = date::floor<date::days>(local);
  const date::year_month_day date{day};
  const date::hh_mm_ss time{date::floor<std::chrono::minutes>(local - day)};
  std::string abbreviation = info.abbrev;
  // Zones without a letter abbreviation give their offset ("+05"): say what it is from.
  if (!abbreviation.empty() && (abbreviation[0] == '+' || abbreviation[0] == '-')) {
    abbreviation = "UTC" + abbreviation;
  }
  return CivilTime{static_cast<int>(date.year()),
                   static_cast<unsigned>(date.month()),
                   static_cast<unsigned>(date.day()),
                   static_cast<int>(time.hours().count()),
                   static_cast<int>(time.minutes().count()),
                   abbreviation};
}

}  // namespace lottery::system
