// The storage contracts on the in-memory fake the core's unit tests rely on.

#include "all_contracts.hpp"
#include "fakes/memory_store.hpp"

namespace lottery::contract {
namespace {

struct MemoryBackend {
  static std::unique_ptr<testing::MemoryStore> make() {
    return std::make_unique<testing::MemoryStore>();
  }
};

LOTTERY_INSTANTIATE_CONTRACTS(Memory, MemoryBackend);

}  // namespace
}  // namespace lottery::contract
