#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/ports/draw_randomness.hpp"

namespace lottery {

// The published form of a seed or digest: 64 lower-case hex digits.
[[nodiscard]] std::string to_hex(const Digest& digest);
// Reads 64 hex digits (either case); nothing for anything else.
[[nodiscard]] std::optional<Digest> parse_hex_digest(std::string_view text);

// A draw as published (docs/FAIRNESS.md): enough to recompute it without the database.
struct PublishedDraw {
  LotteryId lottery;
  DrawSeed seed{};                     // revealed after the draw
  std::optional<Digest> commitment;    // published before the draw, if known
  std::optional<Digest> entries_hash;  // published with the result, if known
  std::vector<AccountNumber> entries;  // the entry list in ordinal order
  std::string public_value;
  std::vector<std::uint64_t> skipped;  // ordinals passed over, in shuffle order
  // The winners' ordinals in the order the shuffle picked them (the draw, then each
  // redraw); empty to only compute them.
  std::vector<std::uint64_t> winners;
  std::size_t places{0};  // how many winners to compute when `winners` is empty
};

struct DrawCheck {
  Digest commitment{};
  Digest entries_hash{};
  std::vector<std::uint64_t> winners;  // recomputed, in shuffle order
  std::vector<std::string> problems;   // empty: everything matches
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Recomputes the commitment, the entry list's hash and the winners: walking the
// shuffle of the seeded stream, each position is the next winner unless it is the
// next published skipped ordinal. Every mismatch is named in `problems` (Russian, for
// the operator and the club's clients).
[[nodiscard]] DrawCheck verify_draw(DrawRandomness& cryptography, const PublishedDraw& draw);

}  // namespace lottery
