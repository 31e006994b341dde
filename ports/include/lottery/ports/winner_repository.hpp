#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {

// Wins with their verifications, within the transaction that owns this repository.
// Every state change is conditional on the current state and reports whether it
// applied, so concurrent confirmations, expiries and redraws settle a win once.
class WinnerRepository {
 public:
  virtual ~WinnerRepository() = default;

  // Stores a new win (its id is ignored) and its verification; returns the id given.
  [[nodiscard]] virtual WinnerId insert(const Winner& winner,
                                        const WinnerVerification& verification) = 0;
  // The win with this id, if any.
  [[nodiscard]] virtual std::optional<Winner> find(WinnerId id) = 0;
  // The verification of this win, if the win exists.
  [[nodiscard]] virtual std::optional<WinnerVerification> verification(WinnerId id) = 0;
  // Every win of the lottery, all rounds, by place then round.
  [[nodiscard]] virtual std::vector<Winner> list_by_lottery(LotteryId lottery) = 0;
  // Every win of the user, newest first.
  [[nodiscard]] virtual std::vector<Winner> list_by_user(UserId user) = 0;
  // The account's wins still open, in any lottery, oldest first: pending, or expired
  // and not redrawn (an admin may still extend them).
  [[nodiscard]] virtual std::vector<Winner> open_by_account(AccountId account) = 0;
  // The accounts that have won in this lottery, in any round and any state.
  [[nodiscard]] virtual std::vector<AccountId> winning_accounts(LotteryId lottery) = 0;
  // Pending wins whose deadline is at or before `now`, oldest deadline first.
  [[nodiscard]] virtual std::vector<Winner> due_for_expiry(Instant now, std::size_t limit) = 0;
  // Pending, not yet reminded wins with remind_at <= now < deadline.
  [[nodiscard]] virtual std::vector<Winner> due_for_reminder(Instant now, std::size_t limit) = 0;

  // pending -> claimed, only if pending and now < deadline; marks the verification
  // verified (by `admin` when confirmed by code). False if it did not apply.
  [[nodiscard]] virtual bool claim(WinnerId id, Instant now, ClaimMethod how,
                                   std::optional<TelegramUserId> admin) = 0;
  // pending -> expired, only if pending and deadline <= now.
  [[nodiscard]] virtual bool expire(WinnerId id, Instant now) = 0;
  // expired -> redrawn.
  [[nodiscard]] virtual bool mark_redrawn(WinnerId id) = 0;
  // pending or expired -> pending with a new deadline and reminder time, not reminded
  // yet; its verification renewed: the new token, unverified, expiring at the deadline.
  [[nodiscard]] virtual bool extend(WinnerId id, Instant deadline, Instant remind_at,
                                    const std::string& token) = 0;
  // Records the reminder, only if pending and not reminded yet.
  [[nodiscard]] virtual bool mark_reminded(WinnerId id) = 0;
  // Records the prize as handed over, only if claimed and not handed over yet.
  [[nodiscard]] virtual bool mark_prize_given(WinnerId id, Instant at) = 0;
  // Stores the second-factor challenge of the win, replacing an earlier one (the
  // caller carries its counts over).
  virtual void start_challenge(const SmsChallenge& challenge) = 0;
  // The win's challenge, if one was ever started.
  [[nodiscard]] virtual std::optional<SmsChallenge> challenge(WinnerId id) = 0;
  // Spends one try of the win's challenge and counts the guess, only if a try is left;
  // false otherwise. Concurrent guesses never spend more tries than there were.
  [[nodiscard]] virtual bool spend_attempt(WinnerId id) = 0;
  // Uses the win's code up (confirmed, expired or out of tries); the counts stay.
  virtual void end_challenge(WinnerId id) = 0;
  // Sets the winning user of an open win (pending or expired): the owner of its account
  // (linked or moved later). False when the win is settled (claimed or redrawn).
  [[nodiscard]] virtual bool set_user(WinnerId id, UserId user) = 0;
};

}  // namespace lottery
