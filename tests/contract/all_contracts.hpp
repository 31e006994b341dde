#pragma once

// Every storage contract suite; a backend's test file includes this once and says
// LOTTERY_INSTANTIATE_CONTRACTS(Name, BackendType).

#include "audit_report_store_contract.hpp"
#include "lottery_entry_contract.hpp"
#include "outbox_contract.hpp"
#include "user_account_contract.hpp"
#include "winner_contract.hpp"

#define LOTTERY_INSTANTIATE_CONTRACTS(Name, Backend)                                          \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, UserRepositoryContract, ::testing::Types<Backend>);    \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, AccountRepositoryContract, ::testing::Types<Backend>); \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, LotteryRepositoryContract, ::testing::Types<Backend>); \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, EntryRepositoryContract, ::testing::Types<Backend>);   \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, WinnerRepositoryContract, ::testing::Types<Backend>);  \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, OutboxContract, ::testing::Types<Backend>);            \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, AuditLogContract, ::testing::Types<Backend>);          \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, ReportQueriesContract, ::testing::Types<Backend>);     \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, TransactionContract, ::testing::Types<Backend>);       \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, DialogueContract, ::testing::Types<Backend>);          \
  INSTANTIATE_TYPED_TEST_SUITE_P(Name, ProcessedUpdatesContract, ::testing::Types<Backend>)
