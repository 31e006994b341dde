#pragma once

#include <cstdint>

#include "lottery/core/time.hpp"

namespace lottery {

// The incoming updates already handled, recorded in the transaction of their
// effects, so a redelivered update is recognised and done nothing with.
class ProcessedUpdates {
 public:
  virtual ~ProcessedUpdates() = default;

  // Records the update as handled, in this transaction, unless it is recorded already
  // (then returns false and changes nothing). A claim by a transaction still in flight
  // elsewhere is waited for, or fails as a conflict.
  [[nodiscard]] virtual bool claim(std::int64_t update_id, Instant at) = 0;
  // Forgets updates handled before `before` (too old to be redelivered).
  virtual void prune(Instant before) = 0;
};

}  // namespace lottery
