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
  Writes(MemoryState& state, const std::function<void(std::string_view)>& hook)
      : state_(state), hook_(hook) {}
  MemoryState& state() { return state_; }
  void before(std::string_view operation) {
    if (hook_) hook_(operation);
  }
  std::int64_t next_id(const std::string& table) { return ++state_.sequences[table]; }

 private:
  MemoryState& state_;
  const std::function<void(std::string_view)>& hook_;
};

}  // namespace lottery::testing::memory
