#pragma once

#include <gmock/gmock.h>

#include "lottery/ports/clock.hpp"
#include "lottery/ports/random_source.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::testing {

class MockClock : public Clock {
 public:
  MOCK_METHOD(Instant, now, (), (override));
};

class MockRandomSource : public RandomSource {
 public:
  MOCK_METHOD(void, fill, (std::span<std::uint8_t> out), (override));
};

class MockTransactionManager : public TransactionManager {
 public:
  MOCK_METHOD(std::unique_ptr<Transaction>, begin, (), (override));
  MOCK_METHOD(std::unique_ptr<Transaction>, begin_read_only, (), (override));
};

class MockUpdateTransactionManager : public UpdateTransactionManager {
 public:
  MOCK_METHOD(std::unique_ptr<UpdateTransaction>, begin_update, (), (override));
};

// A unit of work whose every call goes to a real one it owns, unless a test says
// otherwise (GoogleMock's delegating-to-a-real-object recipe).
template <class Interface>
class DelegatingMockTransaction : public Interface {
 public:
  explicit DelegatingMockTransaction(std::unique_ptr<Interface> real) : real_(std::move(real)) {
    using ::testing::ReturnRef;
    ON_CALL(*this, users()).WillByDefault(ReturnRef(real_->users()));
    ON_CALL(*this, accounts()).WillByDefault(ReturnRef(real_->accounts()));
    ON_CALL(*this, lotteries()).WillByDefault(ReturnRef(real_->lotteries()));
    ON_CALL(*this, entries()).WillByDefault(ReturnRef(real_->entries()));
    ON_CALL(*this, winners()).WillByDefault(ReturnRef(real_->winners()));
    ON_CALL(*this, reports()).WillByDefault(ReturnRef(real_->reports()));
    ON_CALL(*this, outbox()).WillByDefault(ReturnRef(real_->outbox()));
    ON_CALL(*this, audit()).WillByDefault(ReturnRef(real_->audit()));
    ON_CALL(*this, nested()).WillByDefault([this] { return real_->nested(); });
    ON_CALL(*this, commit()).WillByDefault([this] { real_->commit(); });
  }

  MOCK_METHOD(UserRepository&, users, (), (override));
  MOCK_METHOD(AccountRepository&, accounts, (), (override));
  MOCK_METHOD(LotteryRepository&, lotteries, (), (override));
  MOCK_METHOD(EntryRepository&, entries, (), (override));
  MOCK_METHOD(WinnerRepository&, winners, (), (override));
  MOCK_METHOD(ReportQueries&, reports, (), (override));
  MOCK_METHOD(Outbox&, outbox, (), (override));
  MOCK_METHOD(AuditLog&, audit, (), (override));
  MOCK_METHOD(std::unique_ptr<Transaction>, nested, (), (override));
  MOCK_METHOD(void, commit, (), (override));

  // The unit of work the calls go to.
  Interface& real() { return *real_; }

 private:
  std::unique_ptr<Interface> real_;
};

using MockTransaction = DelegatingMockTransaction<Transaction>;

class MockUpdateTransaction : public DelegatingMockTransaction<UpdateTransaction> {
 public:
  explicit MockUpdateTransaction(std::unique_ptr<UpdateTransaction> real)
      : DelegatingMockTransaction<UpdateTransaction>(std::move(real)) {
    using ::testing::ReturnRef;
    ON_CALL(*this, dialogues()).WillByDefault(ReturnRef(this->real().dialogues()));
    ON_CALL(*this, updates()).WillByDefault(ReturnRef(this->real().updates()));
  }

  MOCK_METHOD(DialogueRepository&, dialogues, (), (override));
  MOCK_METHOD(ProcessedUpdates&, updates, (), (override));
};

}  // namespace lottery::testing
