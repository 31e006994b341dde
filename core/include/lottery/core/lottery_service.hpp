#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {

struct EnrolReport {
  std::uint64_t added{0};
  std::uint64_t already_enrolled{0};
  std::vector<AccountNumber> unknown;
  std::vector<AccountNumber> inactive;
  std::uint64_t total_entries{0};
};

struct DrawReport {
  Lottery lottery;  // as it is after the draw
  std::uint64_t entries{0};
  std::vector<Winner> winners;               // by place
  std::vector<Prize> empty_places;           // R-DRAW-4
  std::vector<std::uint64_t> skipped_steps;  // shuffle steps passed over as ineligible
};

struct RedrawReport {
  Lottery lottery;
  std::vector<Winner> replaced;     // the expired wins that were redrawn
  std::vector<Winner> winners;      // their successors, in the same order
  std::vector<Prize> empty_places;  // no eligible account was left: those wins stay expired
};

// Admins running lotteries (SPEC §3 R-DRAW-*, R-REDRAW-1; §4 /new_lottery, /lotteries,
// /enroll, /draw, /redraw).
class LotteryService {
 public:
  explicit LotteryService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // Parses "PLACE PRIZE" lines (blank lines ignored) into places 1..K without gaps.
  [[nodiscard]] static Result<std::vector<Prize>> parse_prizes(std::string_view text);

  // Opens a new lottery with its prizes and a fresh secret draw seed.
  [[nodiscard]] Result<Lottery> create(const Requester& requester, std::string_view title,
                                       std::vector<Prize> prizes,
                                       std::optional<std::chrono::seconds> claim_window = {});
  [[nodiscard]] Result<std::vector<Lottery>> list(const Requester& requester);
  [[nodiscard]] Result<Lottery> find(const Requester& requester, LotteryId lottery);
  // Enrols the listed accounts; unknown and inactive ones are reported, not enrolled.
  [[nodiscard]] Result<EnrolReport> enrol(const Requester& requester, LotteryId lottery,
                                          std::span<const AccountNumber> accounts);
  // Enrols every active account that is not enrolled yet.
  [[nodiscard]] Result<EnrolReport> enrol_all_active(const Requester& requester, LotteryId lottery);
  // Draws every place at once (R-DRAW-1..4), mixing in the public value named in
  // advance, if any (at most 128 printable characters; docs/FAIRNESS.md).
  [[nodiscard]] Result<DrawReport> draw(const Requester& requester, LotteryId lottery,
                                        std::string_view public_value = {});
  // Replaces every expired win with the next eligible alternate (R-REDRAW-1).
  [[nodiscard]] Result<RedrawReport> redraw(const Requester& requester, LotteryId lottery);

 private:
  Dependencies deps_;
};

}  // namespace lottery
