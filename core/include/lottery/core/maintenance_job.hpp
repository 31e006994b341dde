#pragma once

#include <chrono>
#include <cstddef>

#include "lottery/core/dependencies.hpp"
#include "lottery/ports/job_locks.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery {

// What one round of the maintenance job did.
struct MaintenanceReport {
  bool ran{false};                // false: another process holds the job this round
  bool store_unavailable{false};  // the round stopped on a store that did not answer
  std::size_t expired{0};
  std::size_t reminded{0};
};

// The periodic work of the bot (one process at a time among those sharing a store):
// wins not confirmed in time expire (R-EXPIRE-1), winners are reminded before their
// deadline, and the record of handled updates forgets what Telegram can no longer
// deliver again.
class MaintenanceJob {
 public:
  static constexpr std::chrono::hours kUpdatesKept{48};

  // `updates` holds the record of handled updates (not owned, like `locks`).
  MaintenanceJob(Dependencies dependencies, UpdateTransactionManager& updates, JobLocks& locks)
      : deps_(std::move(dependencies)), updates_(updates), locks_(locks) {}

  // One round; never throws (a store that does not answer is reported).
  [[nodiscard]] MaintenanceReport run_once();

 private:
  Dependencies deps_;
  UpdateTransactionManager& updates_;
  JobLocks& locks_;
};

}  // namespace lottery
