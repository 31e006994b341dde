// begin_read_only() on the real databases: a reader (the public pages) never holds up
// a writer (the bot's updates), and sees one snapshot however long it reads.

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "test_databases.hpp"

namespace lottery::testing {
namespace {

enum class Store { kSqlite, kPostgres };

class ReadOnlyTransaction : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    database_ = GetParam() == Store::kSqlite ? make_sqlite_database(true, 2)
                                             : make_postgres_database(true, 2);
  }

  LotteryId add_lottery(const std::string& title) {
    Lottery lottery;
    lottery.title = title;
    lottery.prizes = {Prize{1, "Приз"}};
    lottery.status = LotteryStatus::kOpen;
    lottery.claim_window = std::chrono::hours{24};
    auto transaction = database_->begin();
    const LotteryId id = transaction->lotteries().insert(lottery);
    transaction->commit();
    return id;
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_P(ReadOnlyTransaction, NeverHoldsUpAWriterAndKeepsItsSnapshot) {
  (void)add_lottery("Первый");
  auto reader = database_->begin_read_only();
  ASSERT_EQ(reader->lotteries().list().size(), 1U);

  // On another session, while the reader is open: a write goes through at once (a
  // write lock held by the reader would make it wait for busy_timeout, 5 s).
  const auto started = std::chrono::steady_clock::now();
  auto writer = std::async(std::launch::async, [&] { return add_lottery("Второй"); });
  ASSERT_EQ(writer.wait_for(std::chrono::seconds{3}), std::future_status::ready)
      << "the reader held up the writer";
  (void)writer.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{1});

  // The reader still sees the world as it was at its first read.
  EXPECT_EQ(reader->lotteries().list().size(), 1U);
  reader.reset();
  EXPECT_EQ(database_->begin_read_only()->lotteries().list().size(), 2U);
}

INSTANTIATE_TEST_SUITE_P(Databases, ReadOnlyTransaction,
                         ::testing::Values(Store::kSqlite, Store::kPostgres),
                         [](const auto& parameter) {
                           return parameter.param == Store::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace lottery::testing
