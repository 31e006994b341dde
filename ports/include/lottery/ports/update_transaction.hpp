#pragma once

#include <memory>

#include "lottery/ports/dialogue_repository.hpp"
#include "lottery/ports/processed_updates.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery {

// The unit of work of one incoming update: the domain's repositories plus what only
// the chat layer keeps (open dialogues, the updates already handled), committed
// together so that an update's effects and its being recorded as handled never part.
class UpdateTransaction : public Transaction {
 public:
  [[nodiscard]] virtual DialogueRepository& dialogues() = 0;
  [[nodiscard]] virtual ProcessedUpdates& updates() = 0;
};

// Opens the units of work of incoming updates. Any repository call may throw
// StorageError.
class UpdateTransactionManager {
 public:
  virtual ~UpdateTransactionManager() = default;

  // Starts the transaction of one update; throws StorageError when the store cannot
  // be reached.
  [[nodiscard]] virtual std::unique_ptr<UpdateTransaction> begin_update() = 0;
};

}  // namespace lottery
