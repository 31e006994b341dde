#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "lottery/core/reports.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// The read-only reports of SPEC §6, answered by the store in one query each.
class ReportQueries {
 public:
  virtual ~ReportQueries() = default;

  // Every win counted by its user's club card: card, first name, wins and claimed wins,
  // by card; the wins without a user (or card) last, in one row without a card.
  [[nodiscard]] virtual std::vector<WinnersByCardRow> winners_by_card() = 0;
  // Accounts by participation count, most first (then by number); all of them, or at
  // most `limit`.
  [[nodiscard]] virtual std::vector<TopAccountRow> top_accounts(
      std::optional<std::size_t> limit) = 0;
  // Wins neither claimed nor redrawn whose own deadline is at or before `now`, oldest
  // deadline first.
  [[nodiscard]] virtual std::vector<UnclaimedRow> unclaimed_past_deadline(Instant now) = 0;
};

}  // namespace lottery
