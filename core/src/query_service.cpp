#include "lottery/core/query_service.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "lottery/core/csv.hpp"
#include "lottery/core/draw_publication.hpp"
#include "support.hpp"

namespace lottery {
namespace {

Result<LotteryWinners> lottery_winners(Transaction& transaction, LotteryId lottery_id, Instant now,
                                       bool unclaimed_only) {
  auto lottery = detail::load_lottery(transaction, lottery_id);
  if (!lottery) return tl::unexpected(lottery.error());
  LotteryWinners view{std::move(*lottery), {}, now};
  std::map<UserId, std::optional<User>> users;
  for (Winner& win : transaction.winners().list_by_lottery(lottery_id)) {
    if (unclaimed_only && win.status != WinStatus::kPending && win.status != WinStatus::kExpired) {
      continue;
    }
    std::optional<User> user;
    if (win.user) {
      auto [cached, inserted] = users.try_emplace(*win.user);
      if (inserted) cached->second = transaction.users().find(*win.user);
      user = cached->second;
    }
    view.rows.push_back(WinnerRow{std::move(win), std::move(user)});
  }
  return view;
}

}  // namespace

Result<std::vector<WinnerExportRow>> winner_export_rows(Transaction& transaction,
                                                        LotteryId lottery) {
  auto exported = winner_export(transaction, lottery);
  if (!exported) return tl::unexpected(exported.error());
  return std::move(exported->rows);
}

Result<WinnerExport> winner_export(Transaction& transaction, LotteryId lottery) {
  auto view = lottery_winners(transaction, lottery, Instant{}, false);
  if (!view) return tl::unexpected(view.error());
  std::stable_sort(view->rows.begin(), view->rows.end(), [](const auto& a, const auto& b) {
    return a.winner.round != b.winner.round ? a.winner.round < b.winner.round
                                            : a.winner.place < b.winner.place;
  });
  std::vector<WinnerExportRow> rows;
  rows.reserve(view->rows.size());
  for (const WinnerRow& row : view->rows) {
    const Winner& win = row.winner;
    rows.push_back(WinnerExportRow{
        std::to_string(win.place), std::to_string(win.round), win.prize, win.account_number.str(),
        row.user && row.user->club_card ? row.user->club_card->str() : std::string{},
        std::string(to_string(win.status)), win.claimed_at ? iso_time(*win.claimed_at) : "",
        win.claimed_how ? std::string(to_string(*win.claimed_how)) : "", iso_time(win.deadline)});
  }
  return WinnerExport{std::move(view->lottery.title), std::move(rows)};
}

Result<DrawRecord> published_draw(Transaction& transaction, LotteryId lottery_id) {
  auto lottery = detail::load_lottery(transaction, lottery_id);
  if (!lottery) return tl::unexpected(lottery.error());
  DrawRecord record;
  record.verifiable = lottery->publishes_draw();
  PublishedDraw& draw = record.draw;
  draw.lottery = lottery_id;
  draw.seed = lottery->seed;
  draw.entries_hash = lottery->entries_hash;
  draw.public_value = lottery->public_value;
  draw.skipped = lottery->skipped_ordinals;
  const std::uint64_t count = transaction.entries().count(lottery_id);
  draw.entries.reserve(count);
  detail::for_each_entry(transaction, lottery_id, 0, count,
                         [&](const Entry& entry) { draw.entries.push_back(entry.number); });
  for (const PublishedWin& published : published_wins(transaction, lottery_id)) {
    draw.winners.push_back(published.ordinal);
  }
  record.lottery = std::move(*lottery);
  return record;
}

Result<AuditTrail> audit_trail(Transaction& transaction, LotteryId lottery_id) {
  auto lottery = detail::load_lottery(transaction, lottery_id);
  if (!lottery) return tl::unexpected(lottery.error());
  return AuditTrail{std::move(lottery->title), transaction.audit().for_lottery(lottery_id)};
}

std::string winner_export_csv(const std::vector<WinnerExportRow>& rows) {
  std::string csv(kCsvByteOrderMark);
  csv += csv_line(kWinnerExportColumns);
  for (const WinnerExportRow& row : rows) csv += csv_line(row);
  return csv;
}

Result<MyAccount> QueryService::my_account(TelegramUserId telegram_id) {
  return detail::in_transaction(
      deps_,
      [&](Transaction& transaction) -> Result<MyAccount> {
        auto user = transaction.users().find_by_telegram_id(telegram_id);
        if (!user || !user->is_registered) return fail(ErrorCode::kNotRegistered);
        MyAccount view{*user, {}, {}, deps_.clock.now()};
        for (Account& account : transaction.accounts().list_by_owner(user->id)) {
          if (account.is_active) view.active_accounts.push_back(std::move(account));
        }
        std::vector<Winner> wins = transaction.winners().list_by_user(user->id);
        std::vector<LotteryId> lotteries;
        lotteries.reserve(wins.size());
        for (const Winner& win : wins) lotteries.push_back(win.lottery);
        std::sort(lotteries.begin(), lotteries.end());
        lotteries.erase(std::unique(lotteries.begin(), lotteries.end()), lotteries.end());
        // The titles in one step, not a lottery with its prizes per lottery.
        const auto titles = transaction.lotteries().titles(lotteries);
        for (Winner& win : wins) {
          const auto title = titles.find(win.lottery);
          view.wins.push_back(
              WinView{std::move(win), title != titles.end() ? title->second : std::string{}});
        }
        return view;
      },
      detail::Access::kReadOnly);
}

Result<LotteryWinners> QueryService::winner_status(const Requester& requester, LotteryId lottery) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(
      deps_,
      [&](Transaction& transaction) {
        return lottery_winners(transaction, lottery, deps_.clock.now(), false);
      },
      detail::Access::kReadOnly);
}

Result<LotteryWinners> QueryService::unclaimed(const Requester& requester, LotteryId lottery) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(
      deps_,
      [&](Transaction& transaction) {
        return lottery_winners(transaction, lottery, deps_.clock.now(), true);
      },
      detail::Access::kReadOnly);
}

std::vector<WinnerRow> current_winners(Transaction& transaction, LotteryId lottery) {
  std::map<int, Winner> current;
  for (Winner& win : transaction.winners().list_by_lottery(lottery)) {
    if (win.status != WinStatus::kRedrawn) current.insert_or_assign(win.place, std::move(win));
  }
  std::vector<WinnerRow> rows;
  rows.reserve(current.size());
  for (auto& [place, win] : current) {
    std::optional<User> user;
    if (win.user) user = transaction.users().find(*win.user);
    rows.push_back(WinnerRow{std::move(win), std::move(user)});
  }
  return rows;
}

Result<LotteryInfo> QueryService::lottery_info(LotteryId lottery) {
  return detail::in_transaction(
      deps_,
      [&](Transaction& transaction) -> Result<LotteryInfo> {
        auto found = detail::load_lottery(transaction, lottery);
        if (!found) return tl::unexpected(found.error());
        LotteryInfo info{std::move(*found), transaction.entries().count(lottery), {}};
        if (info.lottery.drawn_at) {
          info.winners_in_draw_order =
              accounts_in_draw_order(transaction.winners().list_by_lottery(lottery));
        }
        return info;
      },
      detail::Access::kReadOnly);
}

Result<Stats> QueryService::stats(const Requester& requester,
                                  std::optional<std::size_t> top_accounts) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(
      deps_,
      [&](Transaction& transaction) -> Result<Stats> {
        return Stats{transaction.reports().winners_by_card(),
                     transaction.reports().top_accounts(top_accounts),
                     transaction.reports().unclaimed_past_deadline(deps_.clock.now())};
      },
      detail::Access::kReadOnly);
}

}  // namespace lottery
