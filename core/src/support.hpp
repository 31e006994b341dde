#pragma once

#include <unordered_set>

// Helpers shared by the use cases; internal to the core.

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "lottery/core/audit_event.hpp"
#include "lottery/core/conflict_retry.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery::detail {

// What a unit of work does: a read-only one takes no write lock (on its own, it reads
// from one snapshot; inside an update, it reads through the update's transaction
// without a savepoint, having nothing to undo).
enum class Access { kReadWrite, kReadOnly };

// Runs `work` in a transaction and commits it when the work succeeds; an Error result
// rolls everything back. Storage failures become Error values, so no exception leaves
// a use case, with one exception: a conflict under ConflictRetry::kByCaller propagates
// to the caller, which retries its whole unit of work (retrying a part of it inside
// would nest the retries, and cannot help a transaction the conflict aborted).
template <class Work>
auto in_transaction(const Dependencies& deps, Work&& work, Access access = Access::kReadWrite)
    -> std::invoke_result_t<Work&, Transaction&> {
  const auto once = [&] {
    auto transaction = access == Access::kReadOnly ? deps.transactions.begin_read_only()
                                                   : deps.transactions.begin();
    auto result = work(*transaction);
    if (result) transaction->commit();
    return result;
  };
  try {
    return deps.conflicts == ConflictRetry::kByCaller ? once() : retry_conflicts(once);
  } catch (const StorageError& error) {
    // A read-only unit under the caller's has no savepoint of its own (it reads through
    // the caller's transaction): any failure may have spoilt that transaction, which
    // must fail as a whole.
    if (deps.conflicts == ConflictRetry::kByCaller &&
        (error.kind() == StorageError::Kind::kConflict || access == Access::kReadOnly)) {
      throw;
    }
    return tl::unexpected(storage_failure(error));
  }
}

// The text without surrounding spaces, tabs and line breaks.
inline std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// The acting admin, or kNotAdmin.
inline Result<Actor> require_admin(const Requester& requester, const Settings& settings) {
  const Actor actor = requester.actor(settings);
  if (!actor.is_admin()) return fail(ErrorCode::kNotAdmin);
  return actor;
}

inline void audit(Transaction& transaction, Instant at, const Actor& actor, AuditAction action,
                  std::optional<LotteryId> lottery, std::optional<WinnerId> winner,
                  std::string details = {}) {
  transaction.audit().append(AuditEvent{at, actor, action, lottery, winner, std::move(details)});
}

// A notification about one win, to `chat`.
inline Notification win_notification(NotificationKind kind, ChatId chat, const Winner& winner,
                                     const std::string& lottery_title, Instant now) {
  Notification notification;
  notification.chat = chat;
  notification.kind = kind;
  notification.lottery = winner.lottery;
  notification.lottery_title = lottery_title;
  notification.winner = winner.id;
  notification.place = winner.place;
  notification.prize = winner.prize;
  notification.account = winner.account_number;
  notification.deadline = winner.deadline;
  notification.created_at = now;
  return notification;
}

// Queues the notification for the registered user `user`, if they still are one.
inline void notify_user(Transaction& transaction, UserId user, Notification notification) {
  const auto found = transaction.users().find(user);
  if (!found || !found->is_registered) return;
  notification.chat = private_chat_of(found->telegram_id);
  (void)transaction.outbox().enqueue(notification);
}

// Queues one copy of the notification for each admin's private chat.
inline void notify_admins(Transaction& transaction, const Settings& settings,
                          Notification notification) {
  for (const TelegramUserId admin : settings.admins) {
    notification.chat = private_chat_of(admin);
    (void)transaction.outbox().enqueue(notification);
  }
}

// R-EXPIRE-1, the one place a win expires: a pending win past its deadline becomes
// expired, audited, and its winner (if it has one) is told. False when it was no longer
// pending (another process expired or confirmed it first); `win` is updated.
bool expire_win(Transaction& transaction, Winner& win, Instant now, const Actor& actor,
                const std::string& lottery_title);

// R-REDRAW-1: who a redraw may not pick — every account that won in this lottery, in any
// round (so nobody wins twice, and a redrawn winner does not come back).
std::unordered_set<AccountId> excluded_from_redraw(Transaction& transaction, LotteryId lottery);

// A lottery is closed once it was drawn and none of its wins is still open
// (pending or expired).
void close_if_settled(Transaction& transaction, LotteryId lottery, Instant now, const Actor& actor);

// Loads the lottery or fails with kUnknownLottery.
Result<Lottery> load_lottery(Transaction& transaction, LotteryId lottery);

// When a still-pending winner is reminded: when 1/divisor of the window is left.
Instant remind_time(Instant start, Instant deadline, int divisor);

// R-UNOWNED-1: a just-linked (or moved) account's open wins go to its owner: a pending
// one as the usual winner message with the time that is left, an expired one as a
// message saying so and whom to contact. Returns them.
std::vector<Winner> hand_open_wins(Transaction& transaction, const Account& account,
                                   const User& owner, Instant now, const Actor& actor);

// Verification codes come from a 31^8 space, so a clash is rare; a few fresh tries
// settle it.
inline constexpr int kCodeAttempts = 16;

// A token for a win's verification record: 128 random bits in hex. A renewed window
// gets a new one (the notes: an expired token is generated again).
std::string random_token(RandomSource& random);

// R-OWNER-1, who a win belongs to: the registered owner of its account now (a win of an
// ownerless account belongs to whoever the account is linked to later). Nothing for an
// account without one.
std::optional<User> owner_of(Transaction& transaction, const Winner& win);

// Records `owner` as the win's user when it is not already (the account was linked or
// moved since the draw) and the win is still open; true when it changed.
bool record_owner(Transaction& transaction, Winner& win, const User& owner, Instant now,
                  const Actor& actor);

}  // namespace lottery::detail

namespace lottery::detail {

// Loads the lottery for enrolment: kUnknownLottery, or kLotteryNotOpen once drawn.
Result<Lottery> load_lottery_for_enrolment(Transaction& transaction, LotteryId lottery);

// Calls `each` for the lottery's entries with ordinals [from, to) in ordinal order,
// read in slices so memory stays flat for any list; a missing entry is a storage fault.
void for_each_entry(Transaction& transaction, LotteryId lottery, std::uint64_t from,
                    std::uint64_t to, const std::function<void(const Entry&)>& each);
// Extends the lottery's entries hash over its entries with ordinals [from, to).
void extend_entries_hash(Transaction& transaction, DrawRandomness& hashing, Lottery& lottery,
                         std::uint64_t from, std::uint64_t to);
// A lottery from before verifiable draws gets its entries hash computed and version 2.
void bring_to_current_fairness(Transaction& transaction, DrawRandomness& hashing, Lottery& lottery);

// Enrols the listed accounts in an open lottery and audits it; unknown and inactive
// accounts are reported, not enrolled. Each new entry extends the lottery's entries
// hash (docs/FAIRNESS.md).
EnrolReport enrol_accounts(Transaction& transaction, DrawRandomness& hashing, Lottery lottery,
                           std::span<const AccountNumber> accounts, Instant now,
                           const Actor& actor);

}  // namespace lottery::detail
