#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/verification_code.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {

struct ConfirmOutcome {
  Winner winner;  // as it is now
  bool already_confirmed{false};
  // R-2FA-1: not confirmed yet; a one-time code went to this phone (masked, "+7 *** ***-**-33").
  std::optional<std::string> code_sent_to;
};

struct VerifyOutcome {
  std::optional<Winner> confirmed;  // the win confirmed now, or already confirmed
  bool already_confirmed{false};
  // Several pending wins and no account given: the admin must pick one of these.
  std::vector<Winner> candidates;
};

// Winners confirming, admins verifying, and the claim window running out
// (SPEC §3 R-CLAIM-*, R-EXPIRE-1).
class ClaimService {
 public:
  explicit ClaimService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // The winner's button (R-CLAIM-2). Refusals of other pressers are audited. With an SMS
  // gateway (R-2FA-1) it confirms nothing yet: it sends a one-time code to the phone on
  // the winner's card (again only after a minute) and says where it went.
  [[nodiscard]] Result<ConfirmOutcome> confirm_by_button(TelegramUserId presser, WinnerId winner);
  // R-2FA-1: the code the winner typed after pressing the button. Confirms the win when
  // it matches within its ten minutes; each wrong try spends one of five; every refusal
  // is audited.
  [[nodiscard]] Result<ConfirmOutcome> confirm_with_sms_code(TelegramUserId presser,
                                                             WinnerId winner,
                                                             std::string_view typed);

  // R-2FA-1's numbers.
  static constexpr std::chrono::minutes kSmsCodeLifetime{10};
  static constexpr int kSmsCodeAttempts = 5;
  static constexpr std::chrono::seconds kSmsResendAfter{60};
  // For a win's whole life: past these the winner is sent to the admin (who confirms
  // by verification code).
  static constexpr int kSmsCodesPerWin = 3;
  static constexpr int kSmsGuessesPerWin = 10;
  // Button data the bot never made (a forged or tampered press): audited, nothing else
  // changes. The data is kept printable and at most 64 bytes in the audit trail.
  [[nodiscard]] Result<bool> refuse_forged_press(TelegramUserId presser, std::string_view data);
  // /verify_winner CODE LOTTERY_ID [ACCOUNT] (R-CLAIM-3).
  [[nodiscard]] Result<VerifyOutcome> verify_by_code(const Requester& requester,
                                                     const VerificationCode& code,
                                                     LotteryId lottery,
                                                     const std::optional<AccountNumber>& account);
  // Expires pending wins past their deadline and tells winners and admins; returns
  // the wins expired now. Safe to run from several processes at once.
  [[nodiscard]] Result<std::vector<Winner>> expire_due();
  // Reminds pending winners whose window is nearly over; returns the wins reminded.
  [[nodiscard]] Result<std::vector<Winner>> send_reminders();
  // /extend_claim WINNER_ID [HOURS]: a fresh window (and verification token) for a
  // pending or expired win that has not been redrawn; by default as long as the
  // lottery's claim window. The account's owner, if it has one now, becomes the win's
  // user and is told; the returned win has no user when nobody could be told.
  [[nodiscard]] Result<Winner> extend_claim(const Requester& requester, WinnerId winner,
                                            std::optional<std::chrono::hours> window);
  // /prize_given WINNER_ID: the claimed prize was handed over.
  [[nodiscard]] Result<Winner> record_prize_given(const Requester& requester, WinnerId winner);

  static constexpr std::size_t kBatchLimit = 500;
  static constexpr std::chrono::hours kMaxExtension{24 * 30};

 private:
  [[nodiscard]] Result<ConfirmOutcome> send_sms_code(Transaction& transaction, const Winner& win,
                                                     const User& owner, Instant now,
                                                     const Actor& actor);

  Dependencies deps_;
};

}  // namespace lottery
