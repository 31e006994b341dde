// The storage contracts on PostgreSQL, the production database.

#include "all_contracts.hpp"
#include "test_databases.hpp"

namespace lottery::contract {
namespace {

LOTTERY_INSTANTIATE_CONTRACTS(Postgres, testing::PostgresBackend);

}  // namespace
}  // namespace lottery::contract
