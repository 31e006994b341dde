#include "memory_store.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "fakes/memory_lotteries.hpp"
#include "fakes/memory_messages.hpp"
#include "fakes/memory_people.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing {

class MemoryTransaction : public UpdateTransaction {
 public:
  // A top-level transaction: holds the store's lock until it ends.
  explicit MemoryTransaction(MemoryStore& store, bool read_only = false)
      : store_(store),
        lock_(store.mutex_),
        state_(store.state_),
        writes_(state_, store.write_hook_, read_only) {}
  // A nested one: works on a copy of its parent's state, handed back on commit.
  MemoryTransaction(MemoryStore& store, MemoryState& parent, bool read_only)
      : store_(store),
        parent_(&parent),
        state_(parent),
        writes_(state_, store.write_hook_, read_only) {}

  UserRepository& users() override { return users_; }
  AccountRepository& accounts() override { return accounts_; }
  LotteryRepository& lotteries() override { return lotteries_; }
  EntryRepository& entries() override { return entries_; }
  WinnerRepository& winners() override { return winners_; }
  ReportQueries& reports() override { return reports_; }
  Outbox& outbox() override { return outbox_; }
  AuditLog& audit() override { return audit_; }
  DialogueRepository& dialogues() override { return dialogues_; }
  ProcessedUpdates& updates() override { return updates_; }

  std::unique_ptr<Transaction> nested() override {
    return std::make_unique<MemoryTransaction>(store_, state_, writes_.read_only());
  }

  void commit() override {
    if (committed_) throw StorageError(StorageError::Kind::kUnavailable, "already committed");
    writes_.before(parent_ ? "nested.commit" : "commit");
    (parent_ ? *parent_ : store_.state_) = std::move(state_);
    committed_ = true;
  }

 private:
  MemoryStore& store_;
  MemoryState* parent_{nullptr};
  std::unique_lock<std::mutex> lock_;
  MemoryState state_;
  memory::Writes writes_;
  memory::MemoryUsers users_{writes_};
  memory::MemoryAccounts accounts_{writes_};
  memory::MemoryLotteries lotteries_{writes_};
  memory::MemoryEntries entries_{writes_};
  memory::MemoryWinners winners_{writes_};
  memory::MemoryReports reports_{writes_};
  memory::MemoryOutbox outbox_{writes_};
  memory::MemoryAudit audit_{writes_};
  memory::MemoryDialogues dialogues_{writes_};
  memory::MemoryUpdates updates_{writes_};
  bool committed_{false};
};

std::unique_ptr<Transaction> MemoryStore::begin() {
  return std::make_unique<MemoryTransaction>(*this);
}

std::unique_ptr<Transaction> MemoryStore::begin_read_only() {
  return std::make_unique<MemoryTransaction>(*this, true);
}

std::unique_ptr<UpdateTransaction> MemoryStore::begin_update() {
  return std::make_unique<MemoryTransaction>(*this);
}

MemoryState MemoryStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void MemoryStore::set_write_hook(std::function<void(std::string_view)> hook) {
  std::lock_guard lock(mutex_);
  write_hook_ = std::move(hook);
}

}  // namespace lottery::testing
