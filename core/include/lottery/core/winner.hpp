#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// pending -> claimed, or pending -> expired -> redrawn (an expired win may be given a
// fresh window and become pending again until it is redrawn).
enum class WinStatus { kPending, kClaimed, kExpired, kRedrawn };
enum class ClaimMethod { kButton, kAdminCode };

[[nodiscard]] std::string_view to_string(WinStatus status);
[[nodiscard]] std::optional<WinStatus> parse_win_status(std::string_view text);
[[nodiscard]] std::string_view to_string(ClaimMethod method);
[[nodiscard]] std::optional<ClaimMethod> parse_claim_method(std::string_view text);

struct Winner {
  WinnerId id;
  LotteryId lottery;
  int place{0};
  std::string prize;
  AccountId account;
  AccountNumber account_number;
  std::optional<UserId> user;  // the account's owner when drawn or linked later
  int round{1};                // 1 for the draw, 2.. for redraws
  std::uint64_t draw_step{0};  // the step of the lottery's shuffle that picked it
  WinStatus status{WinStatus::kPending};
  std::optional<Instant> claimed_at;
  std::optional<ClaimMethod> claimed_how;
  Instant deadline;
  Instant remind_at;  // when a still-pending winner is reminded
  bool reminded{false};
  Instant created_at;
  std::optional<Instant> prize_given_at;

  [[nodiscard]] bool is_claimed() const { return status == WinStatus::kClaimed; }
  // Pending and before its deadline: the only state in which a win can be confirmed.
  [[nodiscard]] bool is_confirmable(Instant now) const {
    return status == WinStatus::kPending && now < deadline;
  }
  // R-EXPIRE-1: not confirmed in time. Expired, or pending past its deadline (the expiry
  // job has not got to it yet): either way it may be redrawn.
  [[nodiscard]] bool is_expired_at(Instant now) const {
    return status == WinStatus::kExpired || (status == WinStatus::kPending && deadline <= now);
  }

  friend bool operator==(const Winner&, const Winner&) = default;
};

// The second-factor challenge of a win (R-2FA-1): the last one-time code sent to the
// winner's phone, how long it is good for and how many tries it has left (0: used up),
// and, for the win's whole life, how many codes were sent and guesses made.
struct SmsChallenge {
  WinnerId winner;
  UserId user;
  std::string code;  // 6 digits
  Instant expires_at;
  int attempts_left{0};
  Instant created_at;  // when the last code was sent
  int codes_sent{1};
  int guesses{0};

  friend bool operator==(const SmsChallenge&, const SmsChallenge&) = default;
};

struct WinnerVerification {
  WinnerId winner;
  std::string token;
  bool is_verified{false};
  Instant expires_at;  // always the win's deadline
  std::optional<Instant> verified_at;
  std::optional<TelegramUserId> verified_by;  // the admin, when confirmed by code

  friend bool operator==(const WinnerVerification&, const WinnerVerification&) = default;
};

}  // namespace lottery
