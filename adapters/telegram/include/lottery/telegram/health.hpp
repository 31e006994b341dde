#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lottery::telegram {

// Whether the bot can do its work: the database answers and its loops are alive.
struct HealthReport {
  bool ok{true};
  std::string reason;  // one line, when not ok
};

// What /healthz answers: healthy only while the database answered lately and each
// watched loop (the poller, the sender) went round lately. Thread-safe; answering
// never waits on the database.
class HealthMonitor {
 public:
  using Clock = std::chrono::steady_clock;

  explicit HealthMonitor(std::chrono::seconds database_stale_after = std::chrono::seconds{15});

  // A loop to watch: `last_round` says when it last went round; unhealthy past `stale_after`.
  void watch(std::string name, std::function<Clock::time_point()> last_round,
             std::chrono::seconds stale_after);
  // The bot has started: it takes updates (until then: "starting").
  void started();
  // The outcome of a check of the database (reason: why it failed).
  void database_checked(bool answered, const std::string& reason = {});

  [[nodiscard]] HealthReport report() const;

 private:
  struct Watched {
    std::string name;
    std::function<Clock::time_point()> last_round;
    std::chrono::seconds stale_after;
  };
  std::chrono::seconds database_stale_after_;
  mutable std::mutex mutex_;
  std::vector<Watched> watched_;
  bool started_{false};
  Clock::time_point database_answered_at_;
  std::string database_failure_;
};

}  // namespace lottery::telegram
