#pragma once

#include <cstdint>

#include "lottery/core/time.hpp"

namespace lottery {

// The incoming updates already handled, recorded in the transaction of their
// effects, so a redelivered update is recognised and done nothing with.
class ProcessedUpdates {
 public:
  virtual ~ProcessedUpdates() = default;

  // Whether the update was recorded.
  [[nodiscard]] virtual bool contains(std::int64_t update_id) = 0;
  // Records the update as handled.
  virtual void record(std::int64_t update_id, Instant at) = 0;
  // Forgets updates handled before `before` (too old to be redelivered).
  virtual void prune(Instant before) = 0;
};

}  // namespace lottery
