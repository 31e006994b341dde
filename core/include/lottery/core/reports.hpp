#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// SPEC §6, report 1.
// Wins without a club card (an ownerless account's) are one row without a card, shown
// as «Нет данных» as in the club's notes.
struct WinnersByCardRow {
  std::optional<ClubCard> club_card;
  std::string first_name;
  std::int64_t total_wins{0};
  std::int64_t claimed_wins{0};
  friend bool operator==(const WinnersByCardRow&, const WinnersByCardRow&) = default;
};

// SPEC §6, report 2.
struct TopAccountRow {
  AccountNumber account;
  std::optional<ClubCard> club_card;  // empty for an ownerless account
  std::int64_t participations{0};
  friend bool operator==(const TopAccountRow&, const TopAccountRow&) = default;
};

// SPEC §6, report 3.
struct UnclaimedRow {
  LotteryId lottery;
  std::string lottery_title;
  WinnerId winner;
  int place{0};
  std::string prize;
  AccountNumber account;
  std::optional<ClubCard> club_card;
  Instant created_at;
  Instant deadline;  // the win's own, as /extend_claim may have moved it
  friend bool operator==(const UnclaimedRow&, const UnclaimedRow&) = default;
};

}  // namespace lottery
