#pragma once

#include <utility>

#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery {

// The one retry policy: runs `attempt` (a whole unit of work, begun and committed
// inside it) up to kConflictAttempts times while it throws a conflict with a
// concurrent transaction; the last conflict, and every other failure, propagates.
template <class Attempt>
auto retry_conflicts(Attempt&& attempt) -> decltype(attempt()) {
  for (int attempts = 1;; ++attempts) {
    try {
      return attempt();
    } catch (const StorageError& error) {
      if (error.kind() != StorageError::Kind::kConflict || attempts >= kConflictAttempts) throw;
    }
  }
}

// A storage failure as the error value a use case or an update returns. The store's
// own words about rejected data are not for users, so they are dropped.
[[nodiscard]] inline Error storage_failure(const StorageError& error) {
  switch (error.kind()) {
    case StorageError::Kind::kConflict:
      return Error{ErrorCode::kConflict, error.what()};
    case StorageError::Kind::kRejected:
      return Error{ErrorCode::kInvalidArgument, {}};
    case StorageError::Kind::kUnavailable:
      break;
  }
  return Error{ErrorCode::kStorageUnavailable, error.what()};
}

}  // namespace lottery
