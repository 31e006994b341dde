// The stable spellings of the domain's enumerations, used by the stores and the logs.
#include <array>
#include <utility>

#include "lottery/core/audit_event.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {
namespace {

template <class Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

template <class Enum, std::size_t N>
std::string_view name_of(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const NameTable<Enum, N>& table, std::string_view text) {
  for (const auto& [candidate, name] : table) {
    if (name == text) return candidate;
  }
  return std::nullopt;
}

constexpr NameTable<LotteryStatus, 4> kLotteryStatuses{{
    {LotteryStatus::kDraft, "draft"},
    {LotteryStatus::kOpen, "open"},
    {LotteryStatus::kDrawn, "drawn"},
    {LotteryStatus::kClosed, "closed"},
}};

constexpr NameTable<WinStatus, 4> kWinStatuses{{
    {WinStatus::kPending, "pending"},
    {WinStatus::kClaimed, "claimed"},
    {WinStatus::kExpired, "expired"},
    {WinStatus::kRedrawn, "redrawn"},
}};

constexpr NameTable<ClaimMethod, 2> kClaimMethods{{
    {ClaimMethod::kButton, "button"},
    {ClaimMethod::kAdminCode, "admin_code"},
}};

constexpr NameTable<ActorKind, 3> kActorKinds{{
    {ActorKind::kUser, "user"},
    {ActorKind::kAdmin, "admin"},
    {ActorKind::kSystem, "system"},
}};

constexpr NameTable<NotificationKind, 20> kNotificationKinds{{
    {NotificationKind::kWinnerDrawn, "winner_drawn"},
    {NotificationKind::kWinConfirmed, "win_confirmed"},
    {NotificationKind::kWinExpired, "win_expired"},
    {NotificationKind::kClaimReminder, "claim_reminder"},
    {NotificationKind::kClaimExtended, "claim_extended"},
    {NotificationKind::kAccountAdded, "account_added"},
    {NotificationKind::kAdminWinConfirmed, "admin_win_confirmed"},
    {NotificationKind::kAdminWinsExpired, "admin_wins_expired"},
    {NotificationKind::kAdminDrawn, "admin_drawn"},
    {NotificationKind::kAdminRedrawn, "admin_redrawn"},
    {NotificationKind::kLotteryAnnounced, "lottery_announced"},
    {NotificationKind::kResultsPublished, "results_published"},
    {NotificationKind::kResultsUpdated, "results_updated"},
    {NotificationKind::kAdminUndeliverable, "admin_undeliverable"},
    {NotificationKind::kWinnersExport, "winners_export"},
    {NotificationKind::kEntriesList, "entries_list"},
    {NotificationKind::kDrawProgress, "draw_progress"},
    {NotificationKind::kCodeRenewed, "code_renewed"},
    {NotificationKind::kReply, "reply"},
    {NotificationKind::kReplyEdit, "reply_edit"},
}};

constexpr NameTable<AuditAction, 27> kAuditActions{{
    {AuditAction::kUserRegistered, "user.registered"},
    {AuditAction::kAccountAdded, "account.added"},
    {AuditAction::kAccountLinked, "account.linked"},
    {AuditAction::kAccountDeactivated, "account.deactivated"},
    {AuditAction::kLotteryCreated, "lottery.created"},
    {AuditAction::kEntriesAdded, "lottery.entries_added"},
    {AuditAction::kLotteryDrawn, "lottery.drawn"},
    {AuditAction::kLotteryRedrawn, "lottery.redrawn"},
    {AuditAction::kLotteryClosed, "lottery.closed"},
    {AuditAction::kWinCreated, "win.created"},
    {AuditAction::kWinConfirmed, "win.confirmed"},
    {AuditAction::kWinVerifiedByAdmin, "win.verified_by_admin"},
    {AuditAction::kWinConfirmRefused, "win.confirm_refused"},
    {AuditAction::kWinExpired, "win.expired"},
    {AuditAction::kWinExtended, "win.extended"},
    {AuditAction::kWinRedrawn, "win.redrawn"},
    {AuditAction::kWinReminded, "win.reminded"},
    {AuditAction::kWinLinked, "win.linked"},
    {AuditAction::kPrizeHandedOver, "win.prize_handed_over"},
    {AuditAction::kMessageUndeliverable, "message.undeliverable"},
    {AuditAction::kVerificationFailed, "win.verification_failed"},
    {AuditAction::kWinNotified, "win.notified"},
    {AuditAction::kAccountMoved, "account.moved"},
    {AuditAction::kCodeRenewed, "user.code_renewed"},
    {AuditAction::kWinSmsSent, "win.sms_sent"},
    {AuditAction::kWinSmsRefused, "win.sms_refused"},
    {AuditAction::kClientLookedUp, "client.looked_up"},
}};

constexpr NameTable<ErrorCode, 44> kErrorCodes{{
    {ErrorCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kInvalidClubCard, "invalid_club_card"},
    {ErrorCode::kInvalidAccountNumber, "invalid_account_number"},
    {ErrorCode::kInvalidVerificationCode, "invalid_verification_code"},
    {ErrorCode::kInvalidPhone, "invalid_phone"},
    {ErrorCode::kInvalidPrizes, "invalid_prizes"},
    {ErrorCode::kInvalidTitle, "invalid_title"},
    {ErrorCode::kInvalidDuration, "invalid_duration"},
    {ErrorCode::kNotAdmin, "not_admin"},
    {ErrorCode::kNotRegistered, "not_registered"},
    {ErrorCode::kAlreadyRegistered, "already_registered"},
    {ErrorCode::kCardTaken, "card_taken"},
    {ErrorCode::kCodeTaken, "code_taken"},
    {ErrorCode::kUnknownUser, "unknown_user"},
    {ErrorCode::kUnknownAccount, "unknown_account"},
    {ErrorCode::kAccountExists, "account_exists"},
    {ErrorCode::kAccountInactive, "account_inactive"},
    {ErrorCode::kAccountOwnedByAnother, "account_owned_by_another"},
    {ErrorCode::kUnknownLottery, "unknown_lottery"},
    {ErrorCode::kLotteryNotOpen, "lottery_not_open"},
    {ErrorCode::kAlreadyDrawn, "already_drawn"},
    {ErrorCode::kNotDrawn, "not_drawn"},
    {ErrorCode::kNoEntries, "no_entries"},
    {ErrorCode::kUnknownWinner, "unknown_winner"},
    {ErrorCode::kNotYourWin, "not_your_win"},
    {ErrorCode::kWinExpired, "win_expired"},
    {ErrorCode::kWinRedrawn, "win_redrawn"},
    {ErrorCode::kWinAlreadyClaimed, "win_already_claimed"},
    {ErrorCode::kWinNotClaimed, "win_not_claimed"},
    {ErrorCode::kPrizeAlreadyGiven, "prize_already_given"},
    {ErrorCode::kNoPendingWin, "no_pending_win"},
    {ErrorCode::kNoExpiredWins, "no_expired_wins"},
    {ErrorCode::kUnknownCode, "unknown_code"},
    {ErrorCode::kNoClient, "no_client"},
    {ErrorCode::kAccountWithoutOwner, "account_without_owner"},
    {ErrorCode::kNoPhoneForSecondFactor, "no_phone_for_second_factor"},
    {ErrorCode::kSmsNotSent, "sms_not_sent"},
    {ErrorCode::kNoSmsChallenge, "no_sms_challenge"},
    {ErrorCode::kSmsCodeExpired, "sms_code_expired"},
    {ErrorCode::kWrongSmsCode, "wrong_sms_code"},
    {ErrorCode::kSmsLimitReached, "sms_limit_reached"},
    {ErrorCode::kConflict, "conflict"},
    {ErrorCode::kStorageUnavailable, "storage_unavailable"},
    {ErrorCode::kAmbiguousWin, "ambiguous_win"},
}};

}  // namespace

std::string_view to_string(LotteryStatus status) { return name_of(kLotteryStatuses, status); }
std::optional<LotteryStatus> parse_lottery_status(std::string_view text) {
  return value_of(kLotteryStatuses, text);
}
std::string_view to_string(WinStatus status) { return name_of(kWinStatuses, status); }
std::optional<WinStatus> parse_win_status(std::string_view text) {
  return value_of(kWinStatuses, text);
}
std::string_view to_string(ClaimMethod method) { return name_of(kClaimMethods, method); }
std::optional<ClaimMethod> parse_claim_method(std::string_view text) {
  return value_of(kClaimMethods, text);
}
std::string_view to_string(ActorKind kind) { return name_of(kActorKinds, kind); }
std::optional<ActorKind> parse_actor_kind(std::string_view text) {
  return value_of(kActorKinds, text);
}
std::string_view to_string(NotificationKind kind) { return name_of(kNotificationKinds, kind); }
bool is_win_message(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kWinnerDrawn:
    case NotificationKind::kWinConfirmed:
    case NotificationKind::kWinExpired:
    case NotificationKind::kClaimReminder:
    case NotificationKind::kClaimExtended:
      return true;
    default:
      return false;
  }
}

bool is_admin_message(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kAdminWinConfirmed:
    case NotificationKind::kAdminWinsExpired:
    case NotificationKind::kAdminDrawn:
    case NotificationKind::kAdminRedrawn:
    case NotificationKind::kAdminUndeliverable:
    case NotificationKind::kWinnersExport:
    case NotificationKind::kDrawProgress:
      return true;
    default:
      return false;
  }
}

bool is_reply(NotificationKind kind) {
  return kind == NotificationKind::kReply || kind == NotificationKind::kReplyEdit;
}

bool is_sent_first(NotificationKind kind) { return is_reply(kind) || is_admin_message(kind); }

std::optional<NotificationKind> parse_notification_kind(std::string_view text) {
  return value_of(kNotificationKinds, text);
}
std::string_view to_string(AuditAction action) { return name_of(kAuditActions, action); }
std::optional<AuditAction> parse_audit_action(std::string_view text) {
  return value_of(kAuditActions, text);
}
std::string_view to_string(ErrorCode code) { return name_of(kErrorCodes, code); }

}  // namespace lottery
