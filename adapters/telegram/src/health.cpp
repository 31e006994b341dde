#include "lottery/telegram/health.hpp"

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
    database_answered_at_ = Clock::now();
    database_failure_.clear();
  } else {
    database_failure_ = reason;
  }
}

HealthReport HealthMonitor::report() const {
  const std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  const auto seconds_since = [&](Clock::time_point then) {
    return std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  };
  if (!started_) return {false, "starting"};
  if (!database_failure_.empty()) {
    return {false, "database: " + database_failure_};
  }
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
