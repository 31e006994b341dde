// A draw through the installed core: the lazy shuffle and the eligibility rules over
// an in-memory entry list, with a stream of the consumer's own.
#include <array>
#include <cstdint>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lottery/core/draw.hpp"
#include "lottery/ports/random_source.hpp"

namespace {

// A counter-based stream, enough to show the wiring (a real service uses a CSPRNG).
class CountingStream : public lottery::RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (std::uint8_t& byte : out) byte = static_cast<std::uint8_t>(next_++ * 37U + 11U);
  }

 private:
  std::uint32_t next_{0};
};

}  // namespace

int main() {
  std::vector<lottery::Entry> entries;
  for (std::uint64_t ordinal = 0; ordinal < 10; ++ordinal) {
    entries.push_back(lottery::Entry{
        lottery::LotteryId{1}, ordinal,
        lottery::AccountId{static_cast<std::int64_t>(100 + ordinal)},
        lottery::AccountNumber::parse("10-00-00-00-00-00-1" + std::to_string(ordinal)).value(),
        std::nullopt, ordinal != 3});
  }
  CountingStream stream;
  lottery::LazyShuffle shuffle(entries.size(), stream);
  const auto selection = lottery::select_eligible(
      shuffle,
      [&](std::span<const std::uint64_t> ordinals) {
        std::vector<lottery::Entry> picked;
        for (const auto ordinal : ordinals) picked.push_back(entries.at(ordinal));
        return picked;
      },
      {}, 3);
  for (const auto& pick : selection.picks)
    std::cout << "winner " << pick.entry.number.str() << '\n';
  return selection.picks.size() == 3 ? 0 : 1;
}
