// The storage contracts on SQLite, the embedded default.

#include "all_contracts.hpp"
#include "test_databases.hpp"

namespace lottery::contract {
namespace {

LOTTERY_INSTANTIATE_CONTRACTS(Sqlite, testing::SqliteBackend);

}  // namespace
}  // namespace lottery::contract
