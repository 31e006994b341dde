#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "fakes/seeded_random.hpp"
#include "lottery/core/random.hpp"
#include "mocks/mock_ports.hpp"
#include "statistics.hpp"

namespace lottery {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::NiceMock;

// Serves scripted bytes and records how many bytes each read asked for.
class ScriptedBytes {
 public:
  explicit ScriptedBytes(std::deque<std::uint8_t> bytes) : bytes_(std::move(bytes)) {
    ON_CALL(source, fill(_)).WillByDefault(Invoke([this](std::span<std::uint8_t> out) {
      reads.push_back(out.size());
      for (auto& byte : out) {
        byte = bytes_.front();
        bytes_.pop_front();
      }
    }));
  }
  NiceMock<testing::MockRandomSource> source;
  std::vector<std::size_t> reads;

 private:
  std::deque<std::uint8_t> bytes_;
};

TEST(UniformBelow, BoundOfOneReadsNothing) {
  testing::MockRandomSource source;
  EXPECT_CALL(source, fill(_)).Times(0);
  EXPECT_EQ(uniform_below(source, 1), 0U);
}

TEST(UniformBelow, ReadsTheFewestBytesAndMasksToTheBitWidth) {
  // bound 200: 8 bits, one byte; 0xC7 = 199 is accepted as is.
  ScriptedBytes one({0xC7});
  EXPECT_EQ(uniform_below(one.source, 200), 199U);
  EXPECT_EQ(one.reads, std::vector<std::size_t>{1});

  // bound 10: 4 bits; 0xF9 masked is 9.
  ScriptedBytes masked({0xF9});
  EXPECT_EQ(uniform_below(masked.source, 10), 9U);

  // bound 300: 9 bits, two bytes big-endian; 0x01 0x2B = 299.
  ScriptedBytes two({0x01, 0x2B});
  EXPECT_EQ(uniform_below(two.source, 300), 299U);
  EXPECT_EQ(two.reads, std::vector<std::size_t>{2});
}

TEST(UniformBelow, RejectsValuesAtOrAboveTheBoundInsteadOfFoldingThem) {
  // bound 200: 0xC8 = 200 and 0xFF are rejected; a modulo would have returned 0 and 55.
  ScriptedBytes bytes({0xC8, 0xFF, 0x05});
  EXPECT_EQ(uniform_below(bytes.source, 200), 5U);
  EXPECT_EQ(bytes.reads.size(), 3U);
}

TEST(UniformBelow, HandlesTheFullSixtyFourBitRange) {
  ScriptedBytes bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE});
  EXPECT_EQ(uniform_below(bytes.source, ~std::uint64_t{0}), ~std::uint64_t{0} - 1);
  EXPECT_EQ(bytes.reads, std::vector<std::size_t>{8});
}

// 200 is chosen so that a modulo-biased reading of one byte (values 0..55 twice as
// likely) or an off-by-one range fails by a wide margin.
TEST(UniformBelow, IsUniformByChiSquare) {
  constexpr std::uint64_t kBound = 200;
  constexpr int kSamples = 200000;
  testing::SeededRandom random(12345);
  std::vector<std::uint64_t> counts(kBound);
  for (int i = 0; i < kSamples; ++i) {
    const auto value = uniform_below(random, kBound);
    ASSERT_LT(value, kBound);
    ++counts[value];
  }
  EXPECT_LT(testing::chi_square_uniform(counts), testing::chi_square_critical(kBound - 1));
}

TEST(UniformBelow, TheChiSquareCheckCatchesAModuloBias) {
  // The same samples read the biased way must fail the same bound: proof the check
  // above has teeth.
  constexpr std::uint64_t kBound = 200;
  testing::SeededRandom random(12345);
  std::vector<std::uint64_t> counts(kBound);
  for (int i = 0; i < 200000; ++i) {
    std::uint8_t byte = 0;
    random.fill(std::span<std::uint8_t>(&byte, 1));
    ++counts[byte % kBound];
  }
  EXPECT_GT(testing::chi_square_uniform(counts), testing::chi_square_critical(kBound - 1));
}

}  // namespace
}  // namespace lottery
