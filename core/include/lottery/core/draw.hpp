#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"

namespace lottery {

class RandomSource;

// A Fisher–Yates shuffle of the positions 0..size-1, produced one step at a time and
// never materialised: only the positions displaced so far are remembered, so k steps
// cost O(k) time and memory whatever the size. Step s draws r uniformly from
// [s, size), yields the value at r and moves the value at s into r. See docs/DRAW.md.
class LazyShuffle {
 public:
  LazyShuffle(std::uint64_t size, RandomSource& random);

  // The value at the next step, or nothing once all `size` steps are taken.
  [[nodiscard]] std::optional<std::uint64_t> next();
  // How many steps have been taken.
  [[nodiscard]] std::uint64_t steps() const { return steps_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }

 private:
  [[nodiscard]] std::uint64_t value_at(std::uint64_t position) const;

  std::uint64_t size_;
  RandomSource& random_;
  std::uint64_t steps_{0};
  std::unordered_map<std::uint64_t, std::uint64_t> displaced_;
};

// A winning entry and the step of the shuffle that picked it.
struct Pick {
  std::uint64_t step{0};
  Entry entry;
};

struct Selection {
  std::vector<Pick> picks;                      // in the order of the shuffle
  std::vector<std::uint64_t> skipped_steps;     // steps whose entry was not eligible
  std::vector<std::uint64_t> skipped_ordinals;  // the ordinals of those entries
};

// Fetches the entries at the given ordinals, in the order asked.
using EntryFetcher = std::function<std::vector<Entry>(std::span<const std::uint64_t>)>;

// Takes the shuffle's next steps until `wanted` eligible entries are found or the
// shuffle is exhausted. An entry is eligible when its account is active and not in
// `excluded` (accounts that already won in this lottery). Entries are fetched in
// batches of the number still wanted, so a draw of K places usually costs one fetch
// of K entries, yet the result is exactly that of taking one step at a time.
[[nodiscard]] Selection select_eligible(LazyShuffle& shuffle, const EntryFetcher& fetch,
                                        const std::unordered_set<AccountId>& excluded,
                                        std::size_t wanted);

}  // namespace lottery
