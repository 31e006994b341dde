#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// What happened; the chat layer renders each kind into Russian text. The fields a kind
// uses are listed beside it; the others stay empty.
enum class NotificationKind {
  kWinnerDrawn,         // to the winner: lottery, winner, place, prize, account, deadline
  kWinConfirmed,        // to the winner: lottery, winner, place, prize, account, method
  kWinExpired,          // to the winner: lottery, winner, place, prize, account, detail
                        // (kHandedOverDetail: it expired before the account was theirs)
  kClaimReminder,       // to the winner: lottery, winner, place, prize, account, deadline
  kClaimExtended,       // to the winner: lottery, winner, place, prize, account, deadline
  kAccountAdded,        // to the owner: account
  kAdminWinConfirmed,   // to each admin: lottery, winner, place, prize, account, method
  kAdminWinsExpired,    // to each admin: lottery, count (expired wins now awaiting /redraw)
  kAdminDrawn,          // to each admin: lottery, count (places filled), detail (empty places)
  kAdminRedrawn,        // to each admin: lottery, count (places redrawn), detail (left empty)
  kLotteryAnnounced,    // to the public chat: lottery (its prizes and seed commitment)
  kResultsPublished,    // to the public chat: lottery (results are read when rendering)
  kResultsUpdated,      // to the public chat: lottery, after a redraw
  kAdminUndeliverable,  // to each admin: count (the chat), detail (why), lottery, winner
  kWinnersExport,       // to the admin who asked: lottery (the CSV is made when sending)
  kEntriesList,         // to the chat that asked: lottery (its entry list as CSV documents)
  kDrawProgress,        // to the admin who drew: lottery (counts read when sending; edited)
  kCodeRenewed,         // to a client: detail (their new verification code)
  // Replies of the chat layer, rendered already: text and markup as the chat layer
  // encodes them; an edit replaces the text of message `reference` in the chat.
  kReply,
  kReplyEdit,
};

// The detail of a kWinExpired for a win that expired while its account had no owner, told
// to the owner when the account is linked to them.
inline constexpr std::string_view kHandedOverDetail = "handed_over";

[[nodiscard]] std::string_view to_string(NotificationKind kind);
// A message about a win, to its winner: its loss must reach an admin.
[[nodiscard]] bool is_win_message(NotificationKind kind);
// A message to the admins (kAdmin…, a draw's progress, an export).
[[nodiscard]] bool is_admin_message(NotificationKind kind);
// A reply of the chat layer to what a person just wrote.
[[nodiscard]] bool is_reply(NotificationKind kind);
// Sent before the others (replies and messages to admins): nobody waits behind a draw's
// winner messages. The outbox's SQL and migration 009 list the same kinds.
[[nodiscard]] bool is_sent_first(NotificationKind kind);
[[nodiscard]] std::optional<NotificationKind> parse_notification_kind(std::string_view text);

// One message to send, stored in the outbox in the transaction that caused it.
struct Notification {
  NotificationId id;  // assigned by the outbox
  ChatId chat;
  NotificationKind kind{NotificationKind::kWinnerDrawn};
  std::optional<LotteryId> lottery;
  std::string lottery_title;
  std::optional<WinnerId> winner;
  int place{0};
  std::string prize;
  std::optional<AccountNumber> account;
  std::optional<Instant> deadline;
  std::int64_t count{0};
  std::string detail;
  std::string text;           // replies only
  std::string markup;         // replies only
  std::int64_t reference{0};  // kReplyEdit: the message to edit
  Instant created_at;
  int attempts{0};  // failed deliveries so far (kept by the outbox)
  // A long message goes out in parts: those already sent, which a retry does not repeat
  // if the message still reads the same (`parts_digest`, the sender's; kept by the outbox).
  int parts_sent{0};
  std::int64_t parts_digest{0};

  friend bool operator==(const Notification&, const Notification&) = default;
};

}  // namespace lottery
