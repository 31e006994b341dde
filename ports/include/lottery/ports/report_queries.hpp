#pragma once

#include <cstddef>
#include <vector>

#include "lottery/core/reports.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// The read-only reports of SPEC §6, answered by the store in one query each.
class ReportQueries {
 public:
  virtual ~ReportQueries() = default;

  // Users with at least one win: card, first name, wins and claimed wins, by card.
  [[nodiscard]] virtual std::vector<WinnersByCardRow> winners_by_card() = 0;
  // Accounts by participation count, most first (then by number), at most `limit`.
  [[nodiscard]] virtual std::vector<TopAccountRow> top_accounts(std::size_t limit) = 0;
  // Wins neither claimed nor redrawn that were created longer ago than their
  // lottery's claim window, oldest first.
  [[nodiscard]] virtual std::vector<UnclaimedRow> unclaimed_past_window(Instant now) = 0;
};

}  // namespace lottery
