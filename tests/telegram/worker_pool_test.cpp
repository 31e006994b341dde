// The workers the sender and the poller keep: every index of a round is done once, the
// same threads serve every round, and a task's exception reaches the caller.

#include "worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace lottery::telegram {
namespace {

TEST(WorkerPool, DoesEachIndexOnceOnTheSameThreadsEveryRound) {
  WorkerPool pool(3);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  for (int round = 0; round < 50; ++round) {
    std::vector<std::atomic<int>> done(17);
    pool.run(done.size(), [&](std::size_t worker, std::size_t index) {
      EXPECT_LT(worker, 3U);
      ++done[index];
      const std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    });
    for (const auto& count : done) EXPECT_EQ(count.load(), 1);
  }
  EXPECT_LE(threads.size(), 3U) << "no new thread per round";
  pool.run(0, [](std::size_t, std::size_t) { FAIL() << "nothing to do"; });
}

TEST(WorkerPool, AFailedTaskIsRethrownAndTheOthersStillRun) {
  WorkerPool pool(2);
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.run(10,
                        [&](std::size_t, std::size_t index) {
                          ++ran;
                          if (index == 4) throw std::runtime_error("task 4");
                        }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 10);
  pool.run(3, [&](std::size_t, std::size_t) { ++ran; });
  EXPECT_EQ(ran.load(), 13);
}

}  // namespace
}  // namespace lottery::telegram
