#include "lottery/core/maintenance_job.hpp"

#include "core_fixture.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing {
namespace {

using std::chrono::hours;

// A lock held by nobody, or by another process.
class FakeJobLocks : public JobLocks {
 public:
  bool held_elsewhere{false};
  std::vector<std::string> asked;
  std::unique_ptr<Lock> try_lock(std::string_view job) override {
    asked.emplace_back(job);
    return held_elsewhere ? nullptr : std::make_unique<Lock>();
  }
};

class MaintenanceJobTest : public CoreTest {
 protected:
  FakeJobLocks locks_;
  MaintenanceJob job() { return MaintenanceJob(deps(), store_, locks_); }
};

TEST_F(MaintenanceJobTest, ExpiresDueWinsRemindsAndForgetsOldUpdates) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  {
    auto transaction = store_.begin_update();
    ASSERT_TRUE(transaction->updates().claim(1, clock_.now()));
    transaction->commit();
  }

  clock_.advance(hours{20});  // the reminder is due before the deadline
  MaintenanceReport report = job().run_once();
  EXPECT_TRUE(report.ran);
  EXPECT_EQ(report.reminded, 1U);
  EXPECT_EQ(report.expired, 0U);

  clock_.advance(hours{5});  // past the 24 h window
  report = job().run_once();
  EXPECT_EQ(report.expired, 1U);
  EXPECT_EQ(store_.snapshot().winners.begin()->second.status, WinStatus::kExpired);
  EXPECT_EQ(store_.snapshot().processed_updates.size(), 1U) << "kept for 48 hours";

  clock_.advance(hours{24});
  EXPECT_FALSE(job().run_once().store_unavailable);
  EXPECT_TRUE(store_.snapshot().processed_updates.empty());
  EXPECT_EQ(locks_.asked.back(), "expiry-and-reminders");
}

TEST_F(MaintenanceJobTest, SkipsTheRoundWhileAnotherProcessRunsIt) {
  register_user(1, "2223");
  const Lottery lottery = create_lottery(1);
  enrol(lottery.id, {add_account("2223", "11-22-33-44-55-66-77")});
  ASSERT_TRUE(lotteries().draw(admin(), lottery.id));
  clock_.advance(hours{25});
  locks_.held_elsewhere = true;
  EXPECT_FALSE(job().run_once().ran);
  EXPECT_EQ(store_.snapshot().winners.begin()->second.status, WinStatus::kPending);
  locks_.held_elsewhere = false;
  EXPECT_EQ(job().run_once().expired, 1U);
}

TEST_F(MaintenanceJobTest, AStoreThatDoesNotAnswerIsReportedNotThrown) {
  store_.set_write_hook([](std::string_view operation) {
    if (operation == "commit") throw StorageError(StorageError::Kind::kUnavailable, "down");
  });
  const MaintenanceReport report = job().run_once();
  EXPECT_TRUE(report.ran);
  EXPECT_TRUE(report.store_unavailable);
}

}  // namespace
}  // namespace lottery::testing
