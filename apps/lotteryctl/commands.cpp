#include "commands.hpp"

#include <charconv>
#include <iostream>

#include "lottery/core/utc_zone.hpp"
#include "lottery/system/tz_database_zone.hpp"

namespace lottery::ctl {

std::unique_ptr<TimeZone> zone_of(const Invocation& invocation) {
  auto zone = system::TzDatabaseZone::locate(invocation.zone_name);
  if (!zone) {
    throw BadTimeZone("TIME_ZONE: «" + invocation.zone_name +
                      "» — нет такого часового пояса (пример: Europe/Moscow)");
  }
  return zone;
}

std::string TimeShown::operator()(Instant at) const {
  return csv ? iso_time(at) : shown_time(at, zone);
}

std::string TimeShown::header(const std::string& name) const {
  return csv ? name + " (UTC)" : name;
}

int usage_error(const std::string& message) {
  std::cerr << "lotteryctl: " << message << "\nСправка: lotteryctl --help\n";
  return kUsage;
}

int lottery_not_found(LotteryId id) {
  std::cerr << "lotteryctl: розыгрыш #" << id.value() << " не найден\n";
  return kFailed;
}

bool require_current_schema(db::Database& database) {
  const auto pending = database.pending_migrations();
  if (pending.empty()) return true;
  std::cerr << "lotteryctl: база данных не обновлена (ожидают миграции, первая — "
            << pending.front() << "): выполните lotteryctl migrate\n";
  return false;
}

std::optional<LotteryId> parse_lottery(const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return LotteryId{value};
}

int print_table(const Table& table, bool csv) {
  if (csv) {
    print_csv(std::cout, table);
  } else if (table.rows.empty()) {
    std::cout << "Нет данных.\n";
  } else {
    print_aligned(std::cout, table);
  }
  return kOk;
}

}  // namespace lottery::ctl
