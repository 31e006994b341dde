#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// Lotteries with their prizes, within the transaction that owns this repository.
class LotteryRepository {
 public:
  virtual ~LotteryRepository() = default;

  // Stores a new lottery with its prizes (its id is ignored); returns the id given.
  [[nodiscard]] virtual LotteryId insert(const Lottery& lottery) = 0;
  // The lottery with this id, if any.
  [[nodiscard]] virtual std::optional<Lottery> find(LotteryId id) = 0;
  // Like find, and holds the lottery locked against concurrent draws, redraws and
  // enrolments until this transaction ends.
  [[nodiscard]] virtual std::optional<Lottery> find_for_update(LotteryId id) = 0;
  // The titles of those of these lotteries that exist, by id, in one step (without
  // their prizes: a client's wins name their lotteries).
  [[nodiscard]] virtual std::map<LotteryId, std::string> titles(std::span<const LotteryId> ids) = 0;
  // Every lottery, newest first.
  [[nodiscard]] virtual std::vector<Lottery> list() = 0;
  // open -> drawn with the time and the shuffle cursor, only if it is still open;
  // false when another draw got there first.
  [[nodiscard]] virtual bool mark_drawn(LotteryId id, Instant drawn_at, std::uint64_t cursor) = 0;
  // Records how far a redraw consumed the shuffle.
  virtual void set_draw_cursor(LotteryId id, std::uint64_t cursor) = 0;
  // Stores the lottery's entries_hash, public_value and skipped_ordinals.
  virtual void save_fairness(const Lottery& lottery) = 0;
  // Sets the status unconditionally (drawn -> closed once every win is settled).
  virtual void set_status(LotteryId id, LotteryStatus status) = 0;
};

}  // namespace lottery
