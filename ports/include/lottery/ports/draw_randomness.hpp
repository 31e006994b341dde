#pragma once

#include <memory>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/ports/random_source.hpp"

namespace lottery {

// The draw's cryptography (docs/FAIRNESS.md): the stream a draw takes its randomness
// from, derived from the secret seed and the published inputs, so a redraw can replay
// the draw's shuffle and anyone can check a draw once the seed is revealed; the
// commitment to the seed; the hash chain over the entry list.
class DrawRandomness {
 public:
  virtual ~DrawRandomness() = default;

  // A fresh stream from its first byte; the same input always gives the same bytes.
  [[nodiscard]] virtual std::unique_ptr<RandomSource> stream(const DrawInput& input) = 0;
  // The seed's commitment, published while the seed stays secret.
  [[nodiscard]] virtual Digest commitment(const DrawSeed& seed) = 0;
  // The entry list's hash after the entry at `ordinal` (its account `number`) joined.
  [[nodiscard]] virtual Digest extend_entries(const Digest& previous, std::uint64_t ordinal,
                                              const AccountNumber& number) = 0;
};

}  // namespace lottery
