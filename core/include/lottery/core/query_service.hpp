#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/audit_event.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/reports.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {

struct WinView {
  Winner winner;
  std::string lottery_title;
};

struct MyAccount {
  User user;
  std::vector<Account> active_accounts;
  std::vector<WinView> wins;  // newest first
  Instant now;
};

struct WinnerRow {
  Winner winner;
  std::optional<User> user;
};

struct LotteryWinners {
  Lottery lottery;
  std::vector<WinnerRow> rows;  // by place then round
  Instant now;
};

struct Stats {
  std::vector<WinnersByCardRow> winners_by_card;
  std::vector<TopAccountRow> top_accounts;
  std::vector<UnclaimedRow> unclaimed;
};

// A lottery as anyone may see it (/lottery_info): its data and its number of entries.
struct LotteryInfo {
  Lottery lottery;
  std::uint64_t entries{0};
  // After the draw: the winning accounts of every round in the order the shuffle
  // picked them, as published for checking the draw.
  std::vector<AccountNumber> winners_in_draw_order;
};

// The public results of a lottery: each place's current winner (a redrawn win gives way
// to its replacement), by place, with the winning user where there is one.
[[nodiscard]] std::vector<WinnerRow> current_winners(Transaction& transaction, LotteryId lottery);

// A lottery's winners as exported (the chat's /export, lotteryctl export winners): one
// row per win, by round then place, in these columns; times ISO 8601 UTC, empty if none.
inline constexpr std::array<std::string_view, 9> kWinnerExportColumns{
    "place",  "round",      "prize",       "account", "club_card",
    "status", "claimed_at", "claimed_how", "deadline"};
using WinnerExportRow = std::array<std::string, kWinnerExportColumns.size()>;
[[nodiscard]] Result<std::vector<WinnerExportRow>> winner_export_rows(Transaction& transaction,
                                                                      LotteryId lottery);
// The same rows with the lottery's title, for an export that names the lottery.
struct WinnerExport {
  std::string lottery_title;
  std::vector<WinnerExportRow> rows;
};
[[nodiscard]] Result<WinnerExport> winner_export(Transaction& transaction, LotteryId lottery);
// The winners' export as a CSV file (a byte order mark, the header, CRLF lines): the
// same bytes from the chat's /export and `lotteryctl export winners --csv`.
[[nodiscard]] std::string winner_export_csv(const std::vector<WinnerExportRow>& rows);

// A lottery's draw as published (docs/FAIRNESS.md): the lottery, its revealed seed and
// public data, the entry list in ordinal order and the winners' ordinals in the order
// the shuffle picked them (the draw, then each redraw). `verifiable` is false for a
// lottery not drawn yet or drawn before verifiable draws (fairness version 1).
struct DrawRecord {
  Lottery lottery;
  PublishedDraw draw;
  bool verifiable{false};
};
[[nodiscard]] Result<DrawRecord> published_draw(Transaction& transaction, LotteryId lottery);

// The title of a lottery and its audit events (and its wins'), oldest first.
struct AuditTrail {
  std::string lottery_title;
  std::vector<AuditEvent> events;
};
[[nodiscard]] Result<AuditTrail> audit_trail(Transaction& transaction, LotteryId lottery);

// Read-only views: /my_account, /winner_status, /check_unclaimed, /stats (SPEC §4, §6).
class QueryService {
 public:
  explicit QueryService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // The registered user's card, phone, code, active accounts and wins.
  [[nodiscard]] Result<MyAccount> my_account(TelegramUserId telegram_id);
  // Every win of the lottery, all rounds, with the winning users.
  [[nodiscard]] Result<LotteryWinners> winner_status(const Requester& requester, LotteryId lottery);
  // The lottery's wins that are not claimed yet: pending and expired.
  [[nodiscard]] Result<LotteryWinners> unclaimed(const Requester& requester, LotteryId lottery);
  // The lottery and its number of entries, for anyone; kUnknownLottery when none.
  [[nodiscard]] Result<LotteryInfo> lottery_info(LotteryId lottery);
  // The three reports of SPEC §6; the top accounts all, or the first `top_accounts`.
  [[nodiscard]] Result<Stats> stats(const Requester& requester,
                                    std::optional<std::size_t> top_accounts = std::nullopt);

 private:
  Dependencies deps_;
};

}  // namespace lottery
