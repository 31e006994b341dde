#include "support.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace lottery::detail {

void close_if_settled(Transaction& transaction, LotteryId lottery, Instant now,
                      const Actor& actor) {
  const auto found = transaction.lotteries().find(lottery);
  if (!found || found->status != LotteryStatus::kDrawn) return;
  const auto wins = transaction.winners().list_by_lottery(lottery);
  const bool open = std::any_of(wins.begin(), wins.end(), [](const Winner& winner) {
    return winner.status == WinStatus::kPending || winner.status == WinStatus::kExpired;
  });
  if (open) return;
  transaction.lotteries().set_status(lottery, LotteryStatus::kClosed);
  audit(transaction, now, actor, AuditAction::kLotteryClosed, lottery, std::nullopt);
}

Result<Lottery> load_lottery(Transaction& transaction, LotteryId lottery) {
  auto found = transaction.lotteries().find(lottery);
  if (!found) return fail(ErrorCode::kUnknownLottery, std::to_string(lottery.value()));
  return std::move(*found);
}

std::string random_token(RandomSource& random) {
  std::array<std::uint8_t, 16> bytes{};
  random.fill(bytes);
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string token;
  token.reserve(bytes.size() * 2);
  for (const std::uint8_t byte : bytes) {
    token.push_back(kHex[byte >> 4]);
    token.push_back(kHex[byte & 0x0f]);
  }
  return token;
}

std::optional<User> owner_of(Transaction& transaction, const Winner& win) {
  const auto account = transaction.accounts().find(win.account);
  if (!account || !account->owner) return std::nullopt;
  auto owner = transaction.users().find(*account->owner);
  if (!owner || !owner->is_registered) return std::nullopt;
  return owner;
}

bool record_owner(Transaction& transaction, Winner& win, const User& owner, Instant now,
                  const Actor& actor) {
  if (win.user == owner.id) return false;
  // A win settled meanwhile (confirmed by its previous owner) stays theirs.
  if (!transaction.winners().set_user(win.id, owner.id)) return false;
  win.user = owner.id;
  audit(transaction, now, actor, AuditAction::kWinLinked, win.lottery, win.id,
        "user " + std::to_string(owner.id.value()));
  return true;
}

Instant remind_time(Instant start, Instant deadline, int divisor) {
  const Duration window = deadline - start;
  return deadline - window / std::max(divisor, 1);
}

bool expire_win(Transaction& transaction, Winner& win, Instant now, const Actor& actor,
                const std::string& lottery_title) {
  if (win.status != WinStatus::kPending || win.deadline > now) return false;
  if (!transaction.winners().expire(win.id, now)) return false;
  win.status = WinStatus::kExpired;
  audit(transaction, now, actor, AuditAction::kWinExpired, win.lottery, win.id);
  if (win.user) {
    notify_user(transaction, *win.user,
                win_notification(NotificationKind::kWinExpired, ChatId{}, win, lottery_title, now));
  }
  return true;
}

std::unordered_set<AccountId> excluded_from_redraw(Transaction& transaction, LotteryId lottery) {
  const auto winning = transaction.winners().winning_accounts(lottery);
  return {winning.begin(), winning.end()};
}

void for_each_entry(Transaction& transaction, LotteryId lottery, std::uint64_t from,
                    std::uint64_t to, const std::function<void(const Entry&)>& each) {
  constexpr std::uint64_t kSlice = 50'000;
  for (std::uint64_t start = from; start < to; start += kSlice) {
    const std::uint64_t end = std::min(to, start + kSlice);
    const auto slice = transaction.entries().range(lottery, start, end);
    if (slice.size() != end - start) {
      throw StorageError(StorageError::Kind::kUnavailable, "entries missing from the list");
    }
    for (const Entry& entry : slice) each(entry);
  }
}

}  // namespace lottery::detail
