#pragma once

#include <vector>

#include "lottery/core/audit_event.hpp"
#include "lottery/core/ids.hpp"

namespace lottery {

// The append-only audit trail.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Appends the event; events are never changed or removed.
  virtual void append(const AuditEvent& event) = 0;
  // The events about this lottery and its wins, in the order they were appended.
  [[nodiscard]] virtual std::vector<AuditEvent> for_lottery(LotteryId lottery) = 0;
};

}  // namespace lottery
