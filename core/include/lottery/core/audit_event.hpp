#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

enum class ActorKind { kUser, kAdmin, kSystem };

[[nodiscard]] std::string_view to_string(ActorKind kind);
[[nodiscard]] std::optional<ActorKind> parse_actor_kind(std::string_view text);

// Who did something: a Telegram user or admin, or the system itself (jobs, the
// operator's command line).
struct Actor {
  ActorKind kind{ActorKind::kSystem};
  std::optional<TelegramUserId> telegram_id;

  [[nodiscard]] bool is_admin() const { return kind != ActorKind::kUser; }

  friend bool operator==(const Actor&, const Actor&) = default;
};

enum class AuditAction {
  kUserRegistered,
  kAccountAdded,
  kAccountLinked,
  kAccountDeactivated,
  kLotteryCreated,
  kEntriesAdded,
  kLotteryDrawn,
  kLotteryRedrawn,
  kLotteryClosed,
  kWinCreated,
  kWinConfirmed,
  kWinVerifiedByAdmin,
  kWinConfirmRefused,
  kWinExpired,
  kWinExtended,
  kWinRedrawn,
  kWinReminded,
  kWinLinked,
  kPrizeHandedOver,
  kMessageUndeliverable,
  kVerificationFailed,  // an admin's /verify_winner with a code that matched no win
  kWinNotified,         // Telegram accepted the winner message (R-AUDIT-1)
  kAccountMoved,        // /move_account: details "NUMBER from user A to user B"
  kCodeRenewed,         // /new_code: a client's verification code replaced
  kWinSmsSent,          // R-2FA-1: a one-time code sent to the winner's phone
  kWinSmsRefused,       // R-2FA-1: a wrong, expired or unasked-for code typed
  kClientLookedUp,      // /find, /list_accounts: an admin read a client's data
};

[[nodiscard]] std::string_view to_string(AuditAction action);
[[nodiscard]] std::optional<AuditAction> parse_audit_action(std::string_view text);

// One line of the append-only audit trail.
struct AuditEvent {
  Instant at;
  Actor actor;
  AuditAction action{AuditAction::kWinCreated};
  std::optional<LotteryId> lottery;
  std::optional<WinnerId> winner;
  std::string details;

  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

}  // namespace lottery
