#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

enum class LotteryStatus { kDraft, kOpen, kDrawn, kClosed };

[[nodiscard]] std::string_view to_string(LotteryStatus status);
[[nodiscard]] std::optional<LotteryStatus> parse_lottery_status(std::string_view text);

struct Prize {
  int place{0};  // 1..K
  std::string text;

  friend bool operator==(const Prize&, const Prize&) = default;
};

// The secret from which the lottery's draw stream is derived (see DrawRandomness).
using DrawSeed = std::array<std::uint8_t, 32>;
// A SHA-256 value: the seed's commitment, the entry list's hash (docs/FAIRNESS.md).
using Digest = std::array<std::uint8_t, 32>;

// Characters of UTF-8 text (code points), as people count them: the limits below are in
// characters, so a Russian title may be as long as a Latin one.
[[nodiscard]] inline std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  return count;
}

struct Lottery {
  static constexpr std::size_t kMaxTitleLength = 200;
  static constexpr std::size_t kMaxPrizeLength = 200;
  static constexpr int kMaxPlaces = 100;

  LotteryId id;
  std::string title;
  std::vector<Prize> prizes;  // sorted by place, places 1..K without gaps
  LotteryStatus status{LotteryStatus::kOpen};
  std::chrono::seconds claim_window{std::chrono::hours{24}};
  DrawSeed seed{};
  // How many steps of the draw's shuffle have been consumed (draw and redraws);
  // a redraw replays the stream this far and continues from here.
  std::uint64_t draw_cursor{0};
  // The hash chain over the entries in ordinal order, extended by each enrolment: at
  // the draw it commits to the closed list (docs/FAIRNESS.md).
  Digest entries_hash{};
  // 2: entries_hash is kept and the draw stream covers it. 1: a lottery from before
  // verifiable draws (no chain yet; if drawn, its stream stays that of version 1).
  int fairness_version{2};
  // Mixed into the draw stream, named in advance (e.g. a state lottery's numbers).
  std::string public_value;
  // Ordinals the shuffle reached but passed over (inactive, or already a winner), in
  // the order of the shuffle, over the draw and every redraw: published with the result.
  std::vector<std::uint64_t> skipped_ordinals;
  Instant created_at;
  std::optional<Instant> drawn_at;

  // Drawn as a verifiable draw: its data and entry list are published (R-VERIFY-1).
  [[nodiscard]] bool publishes_draw() const {
    return drawn_at.has_value() && fairness_version >= 2;
  }

  friend bool operator==(const Lottery&, const Lottery&) = default;
};

// What a draw's stream is derived from: all of it is published once the seed is.
struct DrawInput {
  int version{2};
  LotteryId lottery;
  DrawSeed seed{};
  Digest entries_hash{};
  std::string public_value;
};

// An account's participation in a lottery. Ordinals count 0, 1, 2, ... per lottery in
// the order of enrolment: they are the canonical order the draw shuffles.
struct Entry {
  LotteryId lottery;
  std::uint64_t ordinal{0};
  AccountId account;
  AccountNumber number;
  std::optional<UserId> owner;
  bool is_active{true};

  friend bool operator==(const Entry&, const Entry&) = default;
};

}  // namespace lottery
