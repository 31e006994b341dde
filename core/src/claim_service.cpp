#include "lottery/core/claim_service.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_set>

#include "lottery/core/random.hpp"
#include "support.hpp"

namespace lottery {
namespace {

std::string lottery_title(Transaction& transaction, LotteryId lottery) {
  const auto found = transaction.lotteries().find(lottery);
  return found ? found->title : std::string{};
}

// Records a confirmation that just applied: audit, the winner's and the admins'
// messages (R-CLAIM-4), and the lottery's closing once every win is settled.
void after_claim(Transaction& transaction, const Settings& settings, const Winner& win, Instant now,
                 const Actor& actor, AuditAction action) {
  detail::audit(transaction, now, actor, action, win.lottery, win.id,
                std::string(to_string(*win.claimed_how)));
  const std::string title = lottery_title(transaction, win.lottery);
  Notification message =
      detail::win_notification(NotificationKind::kWinConfirmed, ChatId{}, win, title, now);
  message.detail = std::string(to_string(*win.claimed_how));
  if (win.user) detail::notify_user(transaction, *win.user, message);
  message.kind = NotificationKind::kAdminWinConfirmed;
  detail::notify_admins(transaction, settings, message);
  detail::close_if_settled(transaction, win.lottery, now, actor);
}

// "+7 *** ***-**-33": enough for the winner to recognise their phone, not for others.
std::string masked(const Phone& phone) {
  const std::string& digits = phone.str();  // "+79001112233"
  if (digits.size() < 5) return "***";
  return digits.substr(0, 2) + " *** ***-**-" + digits.substr(digits.size() - 2);
}

// The error for a win that can no longer be confirmed.
Error unconfirmable(const Winner& win) {
  return Error{win.status == WinStatus::kRedrawn ? ErrorCode::kWinRedrawn : ErrorCode::kWinExpired,
               std::to_string(win.id.value())};
}

}  // namespace

Result<ConfirmOutcome> ClaimService::confirm_by_button(TelegramUserId presser, WinnerId winner_id) {
  const Actor actor{ActorKind::kUser, presser};
  std::optional<LotteryId> refused_lottery;
  bool refused_presser = false;
  auto result =
      detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<ConfirmOutcome> {
        const Instant now = deps_.clock.now();
        auto win = transaction.winners().find(winner_id);
        if (!win) {
          refused_presser = true;
          return fail(ErrorCode::kUnknownWinner, std::to_string(winner_id.value()));
        }
        const auto owner = detail::owner_of(transaction, *win);
        if (!owner || owner->telegram_id != presser) {
          refused_presser = true;
          refused_lottery = win->lottery;
          return fail(ErrorCode::kNotYourWin, std::to_string(winner_id.value()));
        }
        if (win->status == WinStatus::kClaimed) return ConfirmOutcome{*win, true, {}};
        if (!win->is_confirmable(now)) return tl::unexpected(unconfirmable(*win));
        if (deps_.sms != nullptr) return send_sms_code(transaction, *win, *owner, now, actor);
        detail::record_owner(transaction, *win, *owner, now, actor);
        if (!transaction.winners().claim(win->id, now, ClaimMethod::kButton, std::nullopt)) {
          // A concurrent confirmation or expiry settled it first.
          auto current = transaction.winners().find(winner_id);
          if (current && current->status == WinStatus::kClaimed) {
            return ConfirmOutcome{*current, true, {}};
          }
          return tl::unexpected(unconfirmable(current.value_or(*win)));
        }
        win->status = WinStatus::kClaimed;
        win->claimed_at = now;
        win->claimed_how = ClaimMethod::kButton;
        after_claim(transaction, deps_.settings, *win, now, actor, AuditAction::kWinConfirmed);
        return ConfirmOutcome{*win, false, {}};
      });
  if (!result && refused_presser) {
    // R-CLAIM-2: someone pressed a button that is not theirs; keep a trace of it.
    const Error refusal = result.error();
    (void)detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<bool> {
      detail::audit(
          transaction, deps_.clock.now(), actor, AuditAction::kWinConfirmRefused, refused_lottery,
          refused_lottery ? std::optional{winner_id} : std::nullopt,
          std::string(to_string(refusal.code)) + " winner " + std::to_string(winner_id.value()));
      return true;
    });
  }
  return result;
}

Result<ConfirmOutcome> ClaimService::send_sms_code(Transaction& transaction, const Winner& win,
                                                   const User& owner, Instant now,
                                                   const Actor& actor) {
  if (!owner.phone) return fail(ErrorCode::kNoPhoneForSecondFactor);
  const std::string shown = masked(*owner.phone);
  const auto earlier = transaction.winners().challenge(win.id);
  // A press within a minute of the last code sends nothing: a code is on its way.
  if (earlier && now - earlier->created_at < kSmsResendAfter) {
    return ConfirmOutcome{win, false, shown};
  }
  // Codes and guesses are capped for the win's whole life: pressing again gives no
  // fresh supply of guesses, and the club's SMS bill stays bounded.
  if (earlier &&
      (earlier->codes_sent >= kSmsCodesPerWin || earlier->guesses >= kSmsGuessesPerWin)) {
    return fail(ErrorCode::kSmsLimitReached);
  }
  char digits[8];
  std::snprintf(digits, sizeof digits, "%06llu",
                static_cast<unsigned long long>(uniform_below(deps_.random, 1'000'000)));
  transaction.winners().start_challenge(
      SmsChallenge{win.id, owner.id, digits, now + kSmsCodeLifetime,
                   std::min(kSmsCodeAttempts, kSmsGuessesPerWin - (earlier ? earlier->guesses : 0)),
                   now, earlier ? earlier->codes_sent + 1 : 1, earlier ? earlier->guesses : 0});
  detail::audit(transaction, now, actor, AuditAction::kWinSmsSent, win.lottery, win.id,
                "to " + shown);
  // Sent before the commit: a failed send leaves no challenge behind. (A retried
  // transaction may send a second code; the last one counts.)
  if (!deps_.sms->send_code(*owner.phone, digits)) return fail(ErrorCode::kSmsNotSent);
  return ConfirmOutcome{win, false, shown};
}

Result<ConfirmOutcome> ClaimService::confirm_with_sms_code(TelegramUserId presser,
                                                           WinnerId winner_id,
                                                           std::string_view typed) {
  const Actor actor{ActorKind::kUser, presser};
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<ConfirmOutcome> {
    const Instant now = deps_.clock.now();
    auto win = transaction.winners().find(winner_id);
    if (!win) return fail(ErrorCode::kUnknownWinner, std::to_string(winner_id.value()));
    const auto owner = detail::owner_of(transaction, *win);
    if (!owner || owner->telegram_id != presser) {
      return fail(ErrorCode::kNotYourWin, std::to_string(winner_id.value()));
    }
    if (win->status == WinStatus::kClaimed) return ConfirmOutcome{*win, true, {}};
    // A refusal is kept, though the answer is one: guessing codes leaves a trail.
    const auto refuse = [&](ErrorCode code, std::string detail) -> Result<ConfirmOutcome> {
      detail::audit(transaction, now, actor, AuditAction::kWinSmsRefused, win->lottery, win->id,
                    std::string(to_string(code)));
      transaction.commit();
      return fail(code, std::move(detail));
    };
    const auto challenge = transaction.winners().challenge(win->id);
    if (!challenge || challenge->user != owner->id || challenge->attempts_left <= 0) {
      return refuse(ErrorCode::kNoSmsChallenge, {});
    }
    if (!win->is_confirmable(now)) return tl::unexpected(unconfirmable(*win));
    if (challenge->expires_at <= now) {
      transaction.winners().end_challenge(win->id);
      return refuse(ErrorCode::kSmsCodeExpired, {});
    }
    // The try is spent before the code is compared: guesses sent at once cannot use
    // more tries than the code had.
    if (!transaction.winners().spend_attempt(win->id)) {
      return refuse(ErrorCode::kNoSmsChallenge, {});
    }
    if (detail::trim(typed) != challenge->code) {
      const int left = transaction.winners().challenge(win->id)->attempts_left;
      if (left <= 0) transaction.winners().end_challenge(win->id);
      return refuse(ErrorCode::kWrongSmsCode, std::to_string(left));
    }
    transaction.winners().end_challenge(win->id);
    detail::record_owner(transaction, *win, *owner, now, actor);
    if (!transaction.winners().claim(win->id, now, ClaimMethod::kButton, std::nullopt)) {
      throw StorageError(StorageError::Kind::kConflict, "win changed during the confirmation");
    }
    win->status = WinStatus::kClaimed;
    win->claimed_at = now;
    win->claimed_how = ClaimMethod::kButton;
    after_claim(transaction, deps_.settings, *win, now, actor, AuditAction::kWinConfirmed);
    return ConfirmOutcome{*win, false, {}};
  });
}

Result<bool> ClaimService::refuse_forged_press(TelegramUserId presser, std::string_view data) {
  std::string shown;
  for (const char c : data.substr(0, 64)) {
    const auto byte = static_cast<unsigned char>(c);
    shown.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
  }
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<bool> {
    detail::audit(transaction, deps_.clock.now(), Actor{ActorKind::kUser, presser},
                  AuditAction::kWinConfirmRefused, std::nullopt, std::nullopt,
                  "forged button data \"" + shown + "\"" + (data.size() > 64 ? "..." : ""));
    return true;
  });
}

Result<VerifyOutcome> ClaimService::verify_by_code(const Requester& requester,
                                                   const VerificationCode& code,
                                                   LotteryId lottery_id,
                                                   const std::optional<AccountNumber>& account) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<VerifyOutcome> {
    const Instant now = deps_.clock.now();
    const auto user = transaction.users().find_by_code(code);
    const auto lottery = detail::load_lottery(transaction, lottery_id);
    if (!user) {
      // Kept, though the answer is a refusal: guessing codes leaves a trail.
      detail::audit(
          transaction, now, *actor, AuditAction::kVerificationFailed,
          lottery ? std::optional{lottery_id} : std::nullopt, std::nullopt,
          "unknown code " + code.str() + " for lottery " + std::to_string(lottery_id.value()));
      transaction.commit();
      return fail(ErrorCode::kUnknownCode, code.str());
    }
    if (!lottery) return tl::unexpected(lottery.error());
    // R-OWNER-1: the wins of the accounts the code's holder owns now, whoever was
    // recorded at the draw (an account linked or moved since).
    std::unordered_set<AccountId> owned;  // read once, not once per win
    for (const Account& owned_account : transaction.accounts().list_by_owner(user->id)) {
      owned.insert(owned_account.id);
    }
    std::vector<Winner> wins;
    for (Winner& win : transaction.winners().list_by_lottery(lottery_id)) {
      if (win.status == WinStatus::kRedrawn || !owned.contains(win.account)) continue;
      if (account && win.account_number != *account) continue;
      wins.push_back(std::move(win));
    }
    std::vector<Winner> pending;
    std::copy_if(wins.begin(), wins.end(), std::back_inserter(pending),
                 [](const Winner& win) { return win.status == WinStatus::kPending; });
    if (pending.empty()) {
      const auto claimed = std::find_if(wins.begin(), wins.end(),
                                        [](const Winner& win) { return win.is_claimed(); });
      if (claimed != wins.end()) return VerifyOutcome{*claimed, true, {}};
      if (!wins.empty()) return tl::unexpected(unconfirmable(wins.front()));
      return fail(ErrorCode::kNoPendingWin, account ? account->str() : code.str());
    }
    if (pending.size() > 1) return VerifyOutcome{std::nullopt, false, std::move(pending)};
    Winner win = std::move(pending.front());
    if (!win.is_confirmable(now)) return tl::unexpected(unconfirmable(win));
    detail::record_owner(transaction, win, *user, now, *actor);
    if (!transaction.winners().claim(win.id, now, ClaimMethod::kAdminCode, actor->telegram_id)) {
      throw StorageError(StorageError::Kind::kConflict, "win changed during verification");
    }
    win.status = WinStatus::kClaimed;
    win.claimed_at = now;
    win.claimed_how = ClaimMethod::kAdminCode;
    after_claim(transaction, deps_.settings, win, now, *actor, AuditAction::kWinVerifiedByAdmin);
    return VerifyOutcome{win, false, {}};
  });
}

Result<std::vector<Winner>> ClaimService::expire_due() {
  const Actor system{ActorKind::kSystem, std::nullopt};
  return detail::in_transaction(
      deps_, [&](Transaction& transaction) -> Result<std::vector<Winner>> {
        const Instant now = deps_.clock.now();
        std::vector<Winner> expired;
        std::map<LotteryId, std::int64_t> per_lottery;
        for (Winner& win : transaction.winners().due_for_expiry(now, kBatchLimit)) {
          if (!detail::expire_win(transaction, win, now, system,
                                  lottery_title(transaction, win.lottery))) {
            continue;
          }
          ++per_lottery[win.lottery];
          expired.push_back(std::move(win));
        }
        for (const auto& [lottery, count] : per_lottery) {
          Notification summary;
          summary.kind = NotificationKind::kAdminWinsExpired;
          summary.lottery = lottery;
          summary.lottery_title = lottery_title(transaction, lottery);
          summary.count = count;
          summary.created_at = now;
          detail::notify_admins(transaction, deps_.settings, summary);
        }
        return expired;
      });
}

Result<std::vector<Winner>> ClaimService::send_reminders() {
  const Actor system{ActorKind::kSystem, std::nullopt};
  return detail::in_transaction(
      deps_, [&](Transaction& transaction) -> Result<std::vector<Winner>> {
        const Instant now = deps_.clock.now();
        std::vector<Winner> reminded;
        for (Winner& win : transaction.winners().due_for_reminder(now, kBatchLimit)) {
          if (!transaction.winners().mark_reminded(win.id)) continue;
          win.reminded = true;
          // Nobody to remind for an ownerless win: the public post stands for it.
          if (win.user) {
            detail::audit(transaction, now, system, AuditAction::kWinReminded, win.lottery, win.id);
            detail::notify_user(
                transaction, *win.user,
                detail::win_notification(NotificationKind::kClaimReminder, ChatId{}, win,
                                         lottery_title(transaction, win.lottery), now));
          }
          reminded.push_back(std::move(win));
        }
        return reminded;
      });
}

Result<Winner> ClaimService::extend_claim(const Requester& requester, WinnerId winner_id,
                                          std::optional<std::chrono::hours> window) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  if (window && (*window < std::chrono::hours{1} || *window > kMaxExtension)) {
    return fail(ErrorCode::kInvalidDuration, std::to_string(window->count()));
  }
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<Winner> {
    auto win = transaction.winners().find(winner_id);
    if (!win) return fail(ErrorCode::kUnknownWinner, std::to_string(winner_id.value()));
    if (win->status == WinStatus::kClaimed) {
      return fail(ErrorCode::kWinAlreadyClaimed, std::to_string(winner_id.value()));
    }
    if (win->status == WinStatus::kRedrawn) {
      return fail(ErrorCode::kWinRedrawn, std::to_string(winner_id.value()));
    }
    auto lottery = detail::load_lottery(transaction, win->lottery);
    if (!lottery) return tl::unexpected(lottery.error());
    const Instant now = deps_.clock.now();
    const Duration length = window ? Duration{*window} : Duration{lottery->claim_window};
    win->deadline = now + length;
    win->remind_at = detail::remind_time(now, win->deadline, deps_.settings.reminder_divisor);
    win->reminded = false;
    win->status = WinStatus::kPending;
    // A new window gets a new verification token: the expired one is not reused.
    if (!transaction.winners().extend(win->id, win->deadline, win->remind_at,
                                      detail::random_token(deps_.random))) {
      throw StorageError(StorageError::Kind::kConflict, "win changed during the extension");
    }
    detail::audit(
        transaction, now, *actor, AuditAction::kWinExtended, win->lottery, win->id,
        "hours " + std::to_string(std::chrono::duration_cast<std::chrono::hours>(length).count()));
    // The account may have found its owner since the draw: they are the one told.
    if (const auto owner = detail::owner_of(transaction, *win)) {
      detail::record_owner(transaction, *win, *owner, now, *actor);
    }
    if (win->user) {
      detail::notify_user(transaction, *win->user,
                          detail::win_notification(NotificationKind::kClaimExtended, ChatId{}, *win,
                                                   lottery->title, now));
    }
    return *win;
  });
}

Result<Winner> ClaimService::record_prize_given(const Requester& requester, WinnerId winner_id) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<Winner> {
    auto win = transaction.winners().find(winner_id);
    if (!win) return fail(ErrorCode::kUnknownWinner, std::to_string(winner_id.value()));
    if (win->status != WinStatus::kClaimed) {
      return fail(ErrorCode::kWinNotClaimed, std::to_string(winner_id.value()));
    }
    if (win->prize_given_at) {
      return fail(ErrorCode::kPrizeAlreadyGiven, std::to_string(winner_id.value()));
    }
    const Instant now = deps_.clock.now();
    if (!transaction.winners().mark_prize_given(win->id, now)) {
      throw StorageError(StorageError::Kind::kConflict, "prize recorded concurrently");
    }
    win->prize_given_at = now;
    detail::audit(transaction, now, *actor, AuditAction::kPrizeHandedOver, win->lottery, win->id);
    return *win;
  });
}

}  // namespace lottery
