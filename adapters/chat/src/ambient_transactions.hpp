#pragma once

#include <memory>

#include "lottery/ports/transaction.hpp"

namespace lottery::chat {

// Gives the use cases the transaction of the update being handled on this thread:
// while a Scope is open, begin() opens a nested unit of work inside it, so whatever
// the use cases do commits with the update or not at all. Outside a scope it is the
// store itself.
class AmbientTransactions : public TransactionManager {
 public:
  explicit AmbientTransactions(TransactionManager& store) : store_(store) {}

  std::unique_ptr<Transaction> begin() override {
    if (current_ != nullptr) return current_->nested();
    return store_.begin();
  }

  class Scope {
   public:
    explicit Scope(Transaction& transaction) : previous_(current_) { current_ = &transaction; }
    ~Scope() { current_ = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Transaction* previous_;
  };

 private:
  TransactionManager& store_;
  static thread_local Transaction* current_;
};

}  // namespace lottery::chat
