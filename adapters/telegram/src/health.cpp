#include "lottery/telegram/health.hpp"

#include <spdlog/spdlog.h>

namespace lottery::telegram {

HealthMonitor::HealthMonitor(std::chrono::seconds database_stale_after)
    : database_stale_after_(database_stale_after), database_answered_at_(Clock::now()) {}

void HealthMonitor::watch(std::string name, std::function<Clock::time_point()> last_round,
                          std::chrono::seconds stale_after) {
  const std::lock_guard lock(mutex_);
  watched_.push_back(Watched{std::move(name), std::move(last_round), stale_after});
}

void HealthMonitor::started() {
  const std::lock_guard lock(mutex_);
  started_ = true;
}

void HealthMonitor::database_checked(bool answered, const std::string& reason) {
  const std::lock_guard lock(mutex_);
  if (answered) {
    if (!database_failure_.empty()) spdlog::info("health: the database answers again");
    database_answered_at_ = Clock::now();
    database_failure_.clear();
  } else {
    // The driver's words (hosts, users, files) go to the log, not to whoever asks.
    if (database_failure_.empty()) spdlog::warn("health: the database does not answer: {}", reason);
    database_failure_ = reason.empty() ? "unknown" : reason;
  }
}

HealthReport HealthMonitor::report() const {
  const std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  const auto seconds_since = [&](Clock::time_point then) {
    return std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  };
  if (!started_) return {false, "starting"};
  if (!database_failure_.empty()) return {false, "database: unavailable"};
  if (now - database_answered_at_ > database_stale_after_) {
    return {false, "database: no answer for " +
                       std::to_string(seconds_since(database_answered_at_)) + " s"};
  }
  for (const Watched& loop : watched_) {
    const auto last = loop.last_round();
    if (now - last > loop.stale_after) {
      return {false, loop.name + ": stuck for " + std::to_string(seconds_since(last)) + " s"};
    }
  }
  return {};
}

}  // namespace lottery::telegram
