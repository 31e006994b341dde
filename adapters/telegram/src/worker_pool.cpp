#include "worker_pool.hpp"

namespace lottery::telegram {

WorkerPool::WorkerPool(std::size_t workers) {
  threads_.reserve(workers);
  for (std::size_t worker = 0; worker < workers; ++worker) {
    threads_.emplace_back([this, worker] { work(worker); });
  }
}

WorkerPool::~WorkerPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::run(std::size_t count, const Task& task) {
  std::unique_lock lock(mutex_);
  task_ = &task;
  count_ = count;
  next_ = 0;
  busy_ = threads_.size();
  failure_ = nullptr;
  ++round_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return busy_ == 0; });
  task_ = nullptr;
  if (failure_) std::rethrow_exception(failure_);
}

void WorkerPool::work(std::size_t worker) {
  std::size_t seen = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || round_ != seen; });
    if (stopping_) return;
    seen = round_;
    while (next_ < count_) {
      const std::size_t index = next_++;
      lock.unlock();
      try {
        (*task_)(worker, index);
      } catch (...) {
        const std::lock_guard failed(mutex_);
        if (!failure_) failure_ = std::current_exception();
      }
      lock.lock();
    }
    if (--busy_ == 0) changed_.notify_all();
  }
}

}  // namespace lottery::telegram
