#pragma once

// The write log of the in-memory store (memory_store.cpp assembles them into transactions).

#include <algorithm>
#include <set>
#include <string>

#include "fakes/memory_store.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing::memory {

class Writes {
 public:
  // A read-only unit of work refuses every write, as PostgreSQL's READ ONLY does.
  Writes(MemoryState& state, const std::function<void(std::string_view)>& hook,
         bool read_only = false)
      : state_(state), hook_(hook), read_only_(read_only) {}
  MemoryState& state() { return state_; }
  void before(std::string_view operation) {
    const bool commit = operation == "commit" || operation == "nested.commit";
    if (read_only_ && !commit) {
      throw StorageError(StorageError::Kind::kRejected,
                         "a read-only unit of work wrote: " + std::string(operation));
    }
    if (hook_) hook_(operation);
  }
  [[nodiscard]] bool read_only() const { return read_only_; }
  std::int64_t next_id(const std::string& table) { return ++state_.sequences[table]; }

 private:
  MemoryState& state_;
  const std::function<void(std::string_view)>& hook_;
  bool read_only_;
};

}  // namespace lottery::testing::memory
