#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace lottery {

// Every way a use case can refuse. The chat layer turns each into a Russian reply;
// `Error::detail` carries the offending value (an account number, a place, ...).
enum class ErrorCode {
  kInvalidArgument,
  kInvalidClubCard,
  kInvalidAccountNumber,
  kInvalidVerificationCode,
  kInvalidPhone,
  kInvalidPrizes,
  kInvalidTitle,
  kInvalidDuration,
  kNotAdmin,
  kNotRegistered,
  kAlreadyRegistered,
  kCardTaken,
  kCodeTaken,
  kUnknownUser,
  kUnknownAccount,
  kAccountExists,
  kAccountInactive,
  kAccountOwnedByAnother,
  kUnknownLottery,
  kLotteryNotOpen,
  kAlreadyDrawn,
  kNotDrawn,
  kNoEntries,
  kUnknownWinner,
  kNotYourWin,
  kWinExpired,
  kWinRedrawn,
  kWinAlreadyClaimed,
  kWinNotClaimed,
  kPrizeAlreadyGiven,
  kNoPendingWin,
  kAmbiguousWin,
  kNoExpiredWins,
  kUnknownCode,
  kNoClient,                // /find and the like: nobody matches the query (detail: the query)
  kAccountWithoutOwner,     // the query named an account that has no owner (detail: it)
  kNoPhoneForSecondFactor,  // R-2FA-1: the winner's card has no phone to send a code to
  kSmsNotSent,              // R-2FA-1: the SMS gateway did not take the code
  kNoSmsChallenge,          // R-2FA-1: a code typed with no code sent (or used up)
  kSmsCodeExpired,          // R-2FA-1: the code's ten minutes are over
  kWrongSmsCode,            // R-2FA-1: detail: the tries left
  kSmsLimitReached,         // R-2FA-1: the win's codes or guesses are used up
  kConflict,
  kStorageUnavailable,
};

[[nodiscard]] std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code{ErrorCode::kInvalidArgument};
  std::string detail;

  friend bool operator==(const Error&, const Error&) = default;
};

template <class T>
using Result = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(detail)});
}

}  // namespace lottery
