#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

#include "fakes/seeded_random.hpp"
#include "lottery/core/draw.hpp"
#include "lottery/core/random.hpp"
#include "statistics.hpp"

namespace lottery {
namespace {

// The textbook Fisher–Yates over a materialised array, driven by the same bounded
// integers: the lazy shuffle must give exactly the same sequence.
std::vector<std::uint64_t> materialised_shuffle(std::uint64_t size, RandomSource& random,
                                                std::uint64_t steps) {
  std::vector<std::uint64_t> values(size);
  std::iota(values.begin(), values.end(), 0);
  std::vector<std::uint64_t> out;
  for (std::uint64_t step = 0; step < steps; ++step) {
    const std::uint64_t chosen = step + uniform_below(random, size - step);
    std::swap(values[step], values[chosen]);
    out.push_back(values[step]);
  }
  return out;
}

std::vector<std::uint64_t> lazy_steps(std::uint64_t size, RandomSource& random,
                                      std::uint64_t steps) {
  LazyShuffle shuffle(size, random);
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = 0; i < steps; ++i) out.push_back(shuffle.next().value());
  return out;
}

TEST(LazyShuffle, IsTheTextbookShuffleWithoutTheArray) {
  for (const std::uint64_t size : {1ULL, 2ULL, 7ULL, 100ULL, 1000ULL}) {
    testing::SeededRandom a(size * 31 + 1);
    testing::SeededRandom b(size * 31 + 1);
    EXPECT_EQ(lazy_steps(size, a, size), materialised_shuffle(size, b, size)) << size;
  }
}

TEST(LazyShuffle, YieldsEveryPositionOnceThenStops) {
  testing::SeededRandom random(3);
  LazyShuffle shuffle(500, random);
  std::set<std::uint64_t> seen;
  while (const auto value = shuffle.next()) {
    ASSERT_LT(*value, 500U);
    ASSERT_TRUE(seen.insert(*value).second);
  }
  EXPECT_EQ(seen.size(), 500U);
  EXPECT_EQ(shuffle.steps(), 500U);
  EXPECT_FALSE(shuffle.next().has_value());
}

TEST(LazyShuffle, EmptyShuffleYieldsNothing) {
  testing::SeededRandom random(3);
  LazyShuffle shuffle(0, random);
  EXPECT_FALSE(shuffle.next().has_value());
}

TEST(LazyShuffle, SameStreamSameSequence) {
  testing::SeededRandom a(99);
  testing::SeededRandom b(99);
  testing::SeededRandom c(100);
  EXPECT_EQ(lazy_steps(1000000, a, 20), lazy_steps(1000000, b, 20));
  EXPECT_NE(lazy_steps(1000000, a, 20), lazy_steps(1000000, c, 20));
}

TEST(LazyShuffle, WorksAtSizesNoArrayCouldHold) {
  // 10^15 positions: a materialised shuffle would need petabytes.
  testing::SeededRandom random(5);
  LazyShuffle shuffle(1'000'000'000'000'000ULL, random);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(shuffle.next().value());
  EXPECT_EQ(seen.size(), 1000U);
}

// Entries 0..size-1 of one lottery; account id = ordinal + 1; `inactive` ordinals off.
class FakeEntries {
 public:
  FakeEntries(std::uint64_t size, std::set<std::uint64_t> inactive)
      : size_(size), inactive_(std::move(inactive)) {}

  EntryFetcher fetcher() {
    return [this](std::span<const std::uint64_t> ordinals) {
      fetch_sizes.push_back(ordinals.size());
      std::vector<Entry> entries;
      for (const auto ordinal : ordinals) {
        EXPECT_LT(ordinal, size_);
        entries.push_back(Entry{LotteryId{1}, ordinal,
                                AccountId{static_cast<std::int64_t>(ordinal) + 1},
                                AccountNumber::parse("11223344556677").value(), std::nullopt,
                                !inactive_.contains(ordinal)});
      }
      return entries;
    };
  }
  std::vector<std::size_t> fetch_sizes;

 private:
  std::uint64_t size_;
  std::set<std::uint64_t> inactive_;
};

TEST(SelectEligible, FetchesOnlyThePickedEntriesInOneBatchWhenAllAreEligible) {
  testing::SeededRandom random(1);
  LazyShuffle shuffle(1'000'000, random);
  FakeEntries entries(1'000'000, {});
  const Selection selection = select_eligible(shuffle, entries.fetcher(), {}, 10);
  EXPECT_EQ(selection.picks.size(), 10U);
  EXPECT_EQ(entries.fetch_sizes, std::vector<std::size_t>{10});
  EXPECT_TRUE(selection.skipped_steps.empty());
  for (std::size_t i = 0; i < selection.picks.size(); ++i) {
    EXPECT_EQ(selection.picks[i].step, i);
  }
}

TEST(SelectEligible, SkipsInactiveAndExcludedAccountsAndFetchesOnlyWhatIsMissing) {
  // Find the first shuffle values, then make two of the first three ineligible.
  testing::SeededRandom probe(2);
  const auto order = lazy_steps(1000, probe, 5);
  testing::SeededRandom random(2);
  LazyShuffle shuffle(1000, random);
  FakeEntries entries(1000, {order[0]});
  const std::unordered_set<AccountId> excluded{AccountId{static_cast<std::int64_t>(order[2]) + 1}};
  const Selection selection = select_eligible(shuffle, entries.fetcher(), excluded, 3);
  ASSERT_EQ(selection.picks.size(), 3U);
  EXPECT_EQ(selection.picks[0].entry.ordinal, order[1]);
  EXPECT_EQ(selection.picks[1].entry.ordinal, order[3]);
  EXPECT_EQ(selection.picks[2].entry.ordinal, order[4]);
  EXPECT_EQ(selection.skipped_steps, (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(entries.fetch_sizes, (std::vector<std::size_t>{3, 2}));
  EXPECT_EQ(shuffle.steps(), 5U);
}

TEST(SelectEligible, BatchingGivesTheSameResultAsOneStepAtATime) {
  std::set<std::uint64_t> inactive;
  for (std::uint64_t i = 0; i < 300; i += 3) inactive.insert(i);
  testing::SeededRandom a(77);
  testing::SeededRandom b(77);
  LazyShuffle batched(300, a);
  LazyShuffle single(300, b);
  FakeEntries entries(300, inactive);
  const auto all_at_once = select_eligible(batched, entries.fetcher(), {}, 40);
  std::vector<std::uint64_t> one_by_one;
  for (int i = 0; i < 40; ++i) {
    const auto pick = select_eligible(single, entries.fetcher(), {}, 1);
    one_by_one.push_back(pick.picks.at(0).entry.ordinal);
  }
  ASSERT_EQ(all_at_once.picks.size(), 40U);
  for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(all_at_once.picks[i].entry.ordinal, one_by_one[i]);
  EXPECT_EQ(batched.steps(), single.steps());
}

TEST(SelectEligible, StopsWhenTheShuffleIsExhausted) {
  testing::SeededRandom random(4);
  LazyShuffle shuffle(5, random);
  FakeEntries entries(5, {0, 1});
  const Selection selection = select_eligible(shuffle, entries.fetcher(), {}, 10);
  EXPECT_EQ(selection.picks.size(), 3U);
  EXPECT_EQ(selection.skipped_steps.size(), 2U);
}

// R-DRAW-1 by statistics: over many seeded draws of 3 places among 150 entries, every
// eligible entry wins each place equally often, and an inactive one never wins.
TEST(DrawUniformity, EachPlaceIsUniformAmongEligibleEntries) {
  constexpr std::uint64_t kEntries = 150;
  constexpr int kPlaces = 3;
  constexpr int kDraws = 30000;
  std::set<std::uint64_t> inactive{0, 17, 149};
  FakeEntries entries(kEntries, inactive);
  std::vector<std::vector<std::uint64_t>> counts(kPlaces, std::vector<std::uint64_t>(kEntries));
  for (int draw = 0; draw < kDraws; ++draw) {
    testing::SeededRandom random(static_cast<std::uint64_t>(draw) * 7919 + 1);
    LazyShuffle shuffle(kEntries, random);
    const auto selection = select_eligible(shuffle, entries.fetcher(), {}, kPlaces);
    ASSERT_EQ(selection.picks.size(), static_cast<std::size_t>(kPlaces));
    for (int place = 0; place < kPlaces; ++place) {
      ++counts[static_cast<std::size_t>(place)]
              [selection.picks[static_cast<std::size_t>(place)].entry.ordinal];
    }
  }
  for (int place = 0; place < kPlaces; ++place) {
    std::vector<std::uint64_t> eligible_counts;
    for (std::uint64_t ordinal = 0; ordinal < kEntries; ++ordinal) {
      const auto count = counts[static_cast<std::size_t>(place)][ordinal];
      if (inactive.contains(ordinal)) {
        EXPECT_EQ(count, 0U) << "inactive entry " << ordinal << " won place " << place + 1;
      } else {
        eligible_counts.push_back(count);
      }
    }
    const double degrees = static_cast<double>(eligible_counts.size() - 1);
    EXPECT_LT(testing::chi_square_uniform(eligible_counts), testing::chi_square_critical(degrees))
        << "place " << place + 1;
  }
}

TEST(DrawUniformity, TheCheckCatchesAnOffByOneShuffle) {
  // A shuffle that never picks the last remaining position (bound size - step - 1)
  // must fail the same test: proof the check above has teeth.
  constexpr std::uint64_t kEntries = 150;
  std::vector<std::uint64_t> counts(kEntries);
  for (int draw = 0; draw < 30000; ++draw) {
    testing::SeededRandom random(static_cast<std::uint64_t>(draw) * 7919 + 1);
    ++counts[uniform_below(random, kEntries - 1)];
  }
  EXPECT_GT(testing::chi_square_uniform(counts), testing::chi_square_critical(kEntries - 1));
}

}  // namespace
}  // namespace lottery

namespace lottery {
namespace {

// The worked example of docs/DRAW.md, byte for byte.
class BytesFrom : public RandomSource {
 public:
  explicit BytesFrom(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& byte : out) byte = bytes_.at(next_++);
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t next_{0};
};

TEST(DrawDocumentation, TheWorkedExampleHolds) {
  BytesFrom stream({0x07, 0x0C, 0x02, 0x05});
  LazyShuffle shuffle(10, stream);
  EXPECT_EQ(shuffle.next(), 7U);
  EXPECT_EQ(shuffle.next(), 3U);
  EXPECT_EQ(shuffle.next(), 0U);
  EXPECT_EQ(shuffle.steps(), 3U);
}

}  // namespace
}  // namespace lottery
