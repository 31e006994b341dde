#pragma once

#include <memory>
#include <string_view>

namespace lottery {

// Lets one process at a time run a periodic job among those sharing the store.
class JobLocks {
 public:
  virtual ~JobLocks() = default;

  // Held while a job runs; released when destroyed, or by the store when the process dies.
  class Lock {
   public:
    virtual ~Lock() = default;
  };

  // The job's lock if no other process holds it, else null. Throws StorageError when
  // the store cannot be reached.
  [[nodiscard]] virtual std::unique_ptr<Lock> try_lock(std::string_view job) = 0;
};

}  // namespace lottery
