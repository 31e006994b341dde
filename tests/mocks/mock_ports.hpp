#pragma once

#include <gmock/gmock.h>

#include "lottery/ports/clock.hpp"
#include "lottery/ports/random_source.hpp"
#include "lottery/ports/transaction.hpp"

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
};

}  // namespace lottery::testing
