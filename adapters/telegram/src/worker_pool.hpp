#pragma once

// Threads made once and kept: the sender and the poller hand them each round's work
// instead of starting threads every round.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lottery::telegram {

class WorkerPool {
 public:
  // One task of a round: `index` of the round's work, done by worker `worker`.
  using Task = std::function<void(std::size_t worker, std::size_t index)>;

  explicit WorkerPool(std::size_t workers);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  [[nodiscard]] std::size_t size() const { return threads_.size(); }
  // Runs task(worker, i) for every i below `count`, each once, on the free workers;
  // returns when all are done. The first exception a task threw is rethrown here.
  void run(std::size_t count, const Task& task);

 private:
  void work(std::size_t worker);

  std::mutex mutex_;
  std::condition_variable changed_;
  const Task* task_{nullptr};
  std::size_t count_{0};
  std::size_t next_{0};
  std::size_t busy_{0};
  std::size_t round_{0};
  bool stopping_{false};
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace lottery::telegram
