#include "lottery/core/maintenance_job.hpp"

#include "lottery/core/claim_service.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery {

MaintenanceReport MaintenanceJob::run_once() {
  MaintenanceReport report;
  try {
    const auto lock = locks_.try_lock("expiry-and-reminders");
    if (!lock) return report;
    report.ran = true;
    ClaimService claims(deps_);
    const auto expired = claims.expire_due();
    const auto reminded = claims.send_reminders();
    if (expired) report.expired = expired->size();
    if (reminded) report.reminded = reminded->size();
    report.store_unavailable = !expired || !reminded;
    auto transaction = updates_.begin_update();
    transaction->updates().prune(deps_.clock.now() - kUpdatesKept);
    transaction->commit();
  } catch (const StorageError&) {
    report.store_unavailable = true;
  }
  return report;
}

}  // namespace lottery
