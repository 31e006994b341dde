#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"

namespace lottery {

// Participations of accounts in lotteries, with their enrolment ordinals, within the
// transaction that owns this repository.
class EntryRepository {
 public:
  virtual ~EntryRepository() = default;

  // Enrols the account with the next ordinal; false (and no change) if already enrolled.
  [[nodiscard]] virtual bool add(LotteryId lottery, AccountId account) = 0;
  // Enrols every active account not yet enrolled, in account-id order, with the next
  // ordinals; returns how many were added.
  [[nodiscard]] virtual std::uint64_t add_all_active(LotteryId lottery) = 0;
  // In one batch (numbers distinct): enrols the active accounts with these numbers that
  // are not enrolled yet, with the next ordinals in the order given; returns how many.
  [[nodiscard]] virtual std::uint64_t add_numbers(LotteryId lottery,
                                                  std::span<const AccountNumber> numbers) = 0;
  // How many entries the lottery has; their ordinals are exactly 0..count-1.
  [[nodiscard]] virtual std::uint64_t count(LotteryId lottery) = 0;
  // The entries at these ordinals (each < count), in the order asked, with the
  // account's current number, owner and active flag.
  [[nodiscard]] virtual std::vector<Entry> at(LotteryId lottery,
                                              std::span<const std::uint64_t> ordinals) = 0;
  // The entries with ordinals in [from, to), in ordinal order (one index range scan:
  // for reading a whole list back in batches).
  [[nodiscard]] virtual std::vector<Entry> range(LotteryId lottery, std::uint64_t from,
                                                 std::uint64_t to) = 0;
  // Whether the account is enrolled in the lottery.
  [[nodiscard]] virtual bool contains(LotteryId lottery, AccountId account) = 0;
  // The account's ordinal in the lottery, if it is enrolled (one index lookup).
  [[nodiscard]] virtual std::optional<std::uint64_t> ordinal_of(LotteryId lottery,
                                                                AccountId account) = 0;
};

}  // namespace lottery
