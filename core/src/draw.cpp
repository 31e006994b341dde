#include "lottery/core/draw.hpp"

#include "lottery/core/random.hpp"
#include "lottery/ports/random_source.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery {

LazyShuffle::LazyShuffle(std::uint64_t size, RandomSource& random) : size_(size), random_(random) {}

std::uint64_t LazyShuffle::value_at(std::uint64_t position) const {
  const auto found = displaced_.find(position);
  return found == displaced_.end() ? position : found->second;
}

std::optional<std::uint64_t> LazyShuffle::next() {
  if (steps_ >= size_) return std::nullopt;
  const std::uint64_t step = steps_++;
  const std::uint64_t chosen_position = step + uniform_below(random_, size_ - step);
  const std::uint64_t chosen = value_at(chosen_position);
  if (chosen_position != step) displaced_[chosen_position] = value_at(step);
  // Position `step` is never read again: forget it to keep the map at O(steps).
  displaced_.erase(step);
  return chosen;
}

Selection select_eligible(LazyShuffle& shuffle, const EntryFetcher& fetch,
                          const std::unordered_set<AccountId>& excluded, std::size_t wanted) {
  Selection selection;
  std::vector<std::uint64_t> steps;
  std::vector<std::uint64_t> ordinals;
  while (selection.picks.size() < wanted) {
    steps.clear();
    ordinals.clear();
    const std::size_t batch = wanted - selection.picks.size();
    while (ordinals.size() < batch) {
      const std::uint64_t step = shuffle.steps();
      const auto ordinal = shuffle.next();
      if (!ordinal) break;
      steps.push_back(step);
      ordinals.push_back(*ordinal);
    }
    if (ordinals.empty()) break;
    const std::vector<Entry> entries = fetch(ordinals);
    if (entries.size() != ordinals.size()) {
      throw StorageError(StorageError::Kind::kUnavailable,
                         "the entry store returned a different number of entries than asked");
    }
    // Within one lottery each account has one entry, so the batch's accounts are
    // distinct and only `excluded` can make an entry ineligible besides deactivation.
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].is_active && !excluded.contains(entries[i].account)) {
        selection.picks.push_back(Pick{steps[i], entries[i]});
      } else {
        selection.skipped_steps.push_back(steps[i]);
        selection.skipped_ordinals.push_back(ordinals[i]);
      }
    }
  }
  return selection;
}

}  // namespace lottery
