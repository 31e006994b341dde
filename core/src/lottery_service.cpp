#include "lottery/core/lottery_service.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <unordered_set>

#include "lottery/core/draw.hpp"
#include "support.hpp"

namespace lottery {
namespace {

using detail::trim;

// Titles and prizes are single lines of printable text.
bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string places_text(const std::vector<Prize>& prizes) {
  std::string text;
  for (const Prize& prize : prizes) {
    if (!text.empty()) text += ", ";
    text += std::to_string(prize.place);
  }
  return text;
}

Result<void> validate_prizes(const std::vector<Prize>& prizes) {
  if (prizes.empty() || prizes.size() > static_cast<std::size_t>(Lottery::kMaxPlaces)) {
    return fail(ErrorCode::kInvalidPrizes, "count");
  }
  for (std::size_t i = 0; i < prizes.size(); ++i) {
    if (prizes[i].place != static_cast<int>(i) + 1) {
      return fail(ErrorCode::kInvalidPrizes, "place " + std::to_string(i + 1));
    }
    if (trim(prizes[i].text).empty() ||
        character_count(prizes[i].text) > Lottery::kMaxPrizeLength ||
        has_control_characters(prizes[i].text)) {
      return fail(ErrorCode::kInvalidPrizes, "prize " + std::to_string(i + 1));
    }
  }
  return {};
}

// Stores a new pending win for `pick` and queues its audit and messages.
Winner store_win(Transaction& transaction, RandomSource& random, const Settings& settings,
                 const Lottery& lottery, const Prize& prize, const Pick& pick, int round,
                 Instant now, const Actor& actor) {
  const Instant deadline = now + lottery.claim_window;
  Winner winner{.lottery = lottery.id,
                .place = prize.place,
                .prize = prize.text,
                .account = pick.entry.account,
                .account_number = pick.entry.number,
                .user = pick.entry.owner,
                .round = round,
                .draw_step = pick.step,
                .status = WinStatus::kPending,
                .deadline = deadline,
                .remind_at = detail::remind_time(now, deadline, settings.reminder_divisor),
                .created_at = now};
  WinnerVerification verification{
      WinnerId{}, detail::random_token(random), false, winner.deadline, std::nullopt, std::nullopt};
  winner.id = transaction.winners().insert(winner, verification);
  detail::audit(transaction, now, actor, AuditAction::kWinCreated, lottery.id, winner.id,
                "place " + std::to_string(winner.place) + " round " + std::to_string(round) +
                    " account " + winner.account_number.str() + " step " +
                    std::to_string(pick.step));
  if (winner.user) {
    detail::notify_user(transaction, *winner.user,
                        detail::win_notification(NotificationKind::kWinnerDrawn, ChatId{}, winner,
                                                 lottery.title, now));
  }
  return winner;
}

Notification lottery_notification(NotificationKind kind, const Lottery& lottery, Instant now) {
  Notification notification;
  notification.kind = kind;
  notification.lottery = lottery.id;
  notification.lottery_title = lottery.title;
  notification.created_at = now;
  return notification;
}

void announce(Transaction& transaction, const Settings& settings, NotificationKind kind,
              const Lottery& lottery, Instant now) {
  if (!settings.announce_chat) return;
  Notification notification = lottery_notification(kind, lottery, now);
  notification.chat = *settings.announce_chat;
  (void)transaction.outbox().enqueue(notification);
}

}  // namespace

namespace detail {

void extend_entries_hash(Transaction& transaction, DrawRandomness& hashing, Lottery& lottery,
                         std::uint64_t from, std::uint64_t to) {
  for_each_entry(transaction, lottery.id, from, to, [&](const Entry& entry) {
    lottery.entries_hash =
        hashing.extend_entries(lottery.entries_hash, entry.ordinal, entry.number);
  });
}

void bring_to_current_fairness(Transaction& transaction, DrawRandomness& hashing,
                               Lottery& lottery) {
  if (lottery.fairness_version >= 2) return;
  lottery.entries_hash = Digest{};
  extend_entries_hash(transaction, hashing, lottery, 0, transaction.entries().count(lottery.id));
  lottery.fairness_version = 2;
  transaction.lotteries().save_fairness(lottery);
}

Result<Lottery> load_lottery_for_enrolment(Transaction& transaction, LotteryId lottery) {
  // Locked, so no enrolment can slip in after a concurrent draw has counted the entries.
  auto found = transaction.lotteries().find_for_update(lottery);
  if (!found) return fail(ErrorCode::kUnknownLottery, std::to_string(lottery.value()));
  if (found->status != LotteryStatus::kOpen && found->status != LotteryStatus::kDraft) {
    return fail(ErrorCode::kLotteryNotOpen, std::to_string(lottery.value()));
  }
  return std::move(*found);
}

EnrolReport enrol_accounts(Transaction& transaction, DrawRandomness& hashing, Lottery lottery,
                           std::span<const AccountNumber> accounts, Instant now,
                           const Actor& actor) {
  EnrolReport report;
  bring_to_current_fairness(transaction, hashing, lottery);
  std::uint64_t next_ordinal = transaction.entries().count(lottery.id);
  for (const AccountNumber& number : accounts) {
    const auto account = transaction.accounts().find_by_number(number);
    if (!account) {
      report.unknown.push_back(number);
    } else if (!account->is_active) {
      report.inactive.push_back(number);
    } else if (transaction.entries().add(lottery.id, account->id)) {
      // The lottery row is locked: ordinals are handed out in this order.
      lottery.entries_hash = hashing.extend_entries(lottery.entries_hash, next_ordinal++, number);
      ++report.added;
    } else {
      ++report.already_enrolled;
    }
  }
  report.total_entries = transaction.entries().count(lottery.id);
  if (report.added > 0) {
    transaction.lotteries().save_fairness(lottery);
    audit(transaction, now, actor, AuditAction::kEntriesAdded, lottery.id, std::nullopt,
          "added " + std::to_string(report.added));
  }
  return report;
}

}  // namespace detail

Result<std::vector<Prize>> LotteryService::parse_prizes(std::string_view text) {
  std::vector<Prize> prizes;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_number);
    int place = 0;
    const auto [rest, error] = std::from_chars(line.data(), line.data() + line.size(), place);
    const std::string_view prize = trim(line.substr(static_cast<std::size_t>(rest - line.data())));
    if (error != std::errc{} || place < 1 || place > Lottery::kMaxPlaces || prize.empty() ||
        (rest != line.data() + line.size() && *rest != ' ' && *rest != '\t') ||
        character_count(prize) > Lottery::kMaxPrizeLength) {
      return fail(ErrorCode::kInvalidPrizes, where);
    }
    prizes.push_back(Prize{place, std::string(prize)});
  }
  std::sort(prizes.begin(), prizes.end(),
            [](const Prize& a, const Prize& b) { return a.place < b.place; });
  if (auto valid = validate_prizes(prizes); !valid) return tl::unexpected(valid.error());
  return prizes;
}

Result<Lottery> LotteryService::create(const Requester& requester, std::string_view title,
                                       std::vector<Prize> prizes,
                                       std::optional<std::chrono::seconds> claim_window) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  const std::string_view clean_title = trim(title);
  if (clean_title.empty() || character_count(clean_title) > Lottery::kMaxTitleLength ||
      has_control_characters(clean_title)) {
    return fail(ErrorCode::kInvalidTitle);
  }
  if (auto valid = validate_prizes(prizes); !valid) return tl::unexpected(valid.error());
  const auto window = claim_window.value_or(deps_.settings.claim_window);
  if (window <= std::chrono::seconds::zero()) return fail(ErrorCode::kInvalidDuration);
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<Lottery> {
    Lottery lottery;
    lottery.title = std::string(clean_title);
    lottery.prizes = prizes;
    lottery.status = LotteryStatus::kOpen;
    lottery.claim_window = window;
    deps_.random.fill(lottery.seed);
    lottery.created_at = deps_.clock.now();
    lottery.id = transaction.lotteries().insert(lottery);
    detail::audit(transaction, lottery.created_at, *actor, AuditAction::kLotteryCreated, lottery.id,
                  std::nullopt, lottery.title);
    // R-VERIFY-1: the commitment is public before any entry is known.
    announce(transaction, deps_.settings, NotificationKind::kLotteryAnnounced, lottery,
             lottery.created_at);
    return lottery;
  });
}

Result<std::vector<Lottery>> LotteryService::list(const Requester& requester) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_,
                                [&](Transaction& transaction) -> Result<std::vector<Lottery>> {
                                  return transaction.lotteries().list();
                                });
}

Result<Lottery> LotteryService::find(const Requester& requester, LotteryId lottery) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(
      deps_, [&](Transaction& transaction) { return detail::load_lottery(transaction, lottery); });
}

Result<EnrolReport> LotteryService::enrol(const Requester& requester, LotteryId lottery,
                                          std::span<const AccountNumber> accounts) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<EnrolReport> {
    auto found = detail::load_lottery_for_enrolment(transaction, lottery);
    if (!found) return tl::unexpected(found.error());
    return detail::enrol_accounts(transaction, deps_.draw_randomness, std::move(*found), accounts,
                                  deps_.clock.now(), *actor);
  });
}

Result<EnrolReport> LotteryService::enrol_all_active(const Requester& requester,
                                                     LotteryId lottery) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<EnrolReport> {
    auto found = detail::load_lottery_for_enrolment(transaction, lottery);
    if (!found) return tl::unexpected(found.error());
    EnrolReport report;
    detail::bring_to_current_fairness(transaction, deps_.draw_randomness, *found);
    const std::uint64_t before = transaction.entries().count(lottery);
    report.added = transaction.entries().add_all_active(lottery);
    report.total_entries = transaction.entries().count(lottery);
    detail::extend_entries_hash(transaction, deps_.draw_randomness, *found, before,
                                report.total_entries);
    if (report.added > 0) {
      transaction.lotteries().save_fairness(*found);
      detail::audit(transaction, deps_.clock.now(), *actor, AuditAction::kEntriesAdded, lottery,
                    std::nullopt, "added all active: " + std::to_string(report.added));
    }
    return report;
  });
}

namespace {

// Audits a draw, tells the admins and the public chat (R-DRAW-4: the empty places too).
void announce_draw(const Settings& settings, Transaction& transaction, const Lottery& lottery,
                   const DrawReport& report, Instant now, const Actor& actor) {
  detail::audit(transaction, now, actor, AuditAction::kLotteryDrawn, lottery.id, std::nullopt,
                "entries " + std::to_string(report.entries) + " steps " +
                    std::to_string(lottery.draw_cursor) + " empty places [" +
                    places_text(report.empty_places) + "]");
  Notification summary = lottery_notification(NotificationKind::kAdminDrawn, lottery, now);
  summary.count = static_cast<std::int64_t>(report.winners.size());
  summary.detail = places_text(report.empty_places);
  detail::notify_admins(transaction, settings, summary);
  announce(transaction, settings, NotificationKind::kResultsPublished, lottery, now);
}

}  // namespace

Result<DrawReport> LotteryService::draw(const Requester& requester, LotteryId lottery_id,
                                        std::string_view public_value) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  const std::string_view clean_public = trim(public_value);
  if (clean_public.size() > 128 || has_control_characters(clean_public)) {
    return fail(ErrorCode::kInvalidArgument, "public value");
  }
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<DrawReport> {
    auto lottery = transaction.lotteries().find_for_update(lottery_id);
    if (!lottery) return fail(ErrorCode::kUnknownLottery, std::to_string(lottery_id.value()));
    if (lottery->status == LotteryStatus::kDrawn || lottery->status == LotteryStatus::kClosed) {
      return fail(ErrorCode::kAlreadyDrawn, std::to_string(lottery_id.value()));
    }
    if (lottery->status != LotteryStatus::kOpen) {
      return fail(ErrorCode::kLotteryNotOpen, std::to_string(lottery_id.value()));
    }
    const Instant now = deps_.clock.now();
    DrawReport report;
    report.entries = transaction.entries().count(lottery_id);
    detail::bring_to_current_fairness(transaction, deps_.draw_randomness, *lottery);
    lottery->public_value = std::string(clean_public);
    const auto stream = deps_.draw_randomness.stream(
        DrawInput{2, lottery_id, lottery->seed, lottery->entries_hash, lottery->public_value});
    LazyShuffle shuffle(report.entries, *stream);
    const Selection selection = select_eligible(
        shuffle,
        [&](std::span<const std::uint64_t> ordinals) {
          return transaction.entries().at(lottery_id, ordinals);
        },
        {}, lottery->prizes.size());
    if (selection.picks.empty()) {
      return fail(ErrorCode::kNoEntries, std::to_string(lottery_id.value()));
    }
    if (!transaction.lotteries().mark_drawn(lottery_id, now, shuffle.steps())) {
      return fail(ErrorCode::kAlreadyDrawn, std::to_string(lottery_id.value()));
    }
    lottery->status = LotteryStatus::kDrawn;
    lottery->drawn_at = now;
    lottery->draw_cursor = shuffle.steps();
    lottery->skipped_ordinals = selection.skipped_ordinals;
    transaction.lotteries().save_fairness(*lottery);

    for (std::size_t i = 0; i < selection.picks.size(); ++i) {
      report.winners.push_back(store_win(transaction, deps_.random, deps_.settings, *lottery,
                                         lottery->prizes[i], selection.picks[i], 1, now, *actor));
    }
    report.empty_places.assign(
        lottery->prizes.begin() + static_cast<std::ptrdiff_t>(selection.picks.size()),
        lottery->prizes.end());
    report.skipped_steps = selection.skipped_steps;
    announce_draw(deps_.settings, transaction, *lottery, report, now, *actor);
    report.lottery = std::move(*lottery);
    return report;
  });
}

namespace {

// The lottery's expired wins, expiring first those past their deadline that the expiry
// job has not got to yet.
std::vector<Winner> expired_wins(Transaction& transaction, const Lottery& lottery, Instant now,
                                 const Actor& actor) {
  std::vector<Winner> expired;
  for (Winner& win : transaction.winners().list_by_lottery(lottery.id)) {
    if (win.is_expired_at(now))
      (void)detail::expire_win(transaction, win, now, actor, lottery.title);
    if (win.status == WinStatus::kExpired) expired.push_back(std::move(win));
  }
  return expired;
}

// The next `wanted` eligible entries of the lottery's draw stream, after those the draw
// and earlier redraws took (R-REDRAW-1), and where the stream stops.
std::pair<Selection, std::uint64_t> next_alternates(Transaction& transaction,
                                                    DrawRandomness& randomness,
                                                    const Lottery& lottery, std::size_t wanted) {
  // A lottery drawn before verifiable draws keeps its version-1 stream.
  const auto stream =
      randomness.stream(DrawInput{lottery.fairness_version, lottery.id, lottery.seed,
                                  lottery.entries_hash, lottery.public_value});
  LazyShuffle shuffle(transaction.entries().count(lottery.id), *stream);
  while (shuffle.steps() < lottery.draw_cursor && shuffle.next()) {
  }
  Selection selection = select_eligible(
      shuffle,
      [&](std::span<const std::uint64_t> ordinals) {
        return transaction.entries().at(lottery.id, ordinals);
      },
      detail::excluded_from_redraw(transaction, lottery.id), wanted);
  return {std::move(selection), shuffle.steps()};
}

// Replaces each expired win with the next pick, in order; places nobody is left for
// stay expired and are reported empty.
void replace_expired(const Dependencies& deps, Transaction& transaction, Lottery& lottery,
                     std::vector<Winner>& expired, const Selection& selection, Instant now,
                     const Actor& actor, RedrawReport& report) {
  for (std::size_t i = 0; i < expired.size(); ++i) {
    Winner& old = expired[i];
    const Prize prize{old.place, old.prize};
    if (i >= selection.picks.size()) {
      // Nobody is left to take the place: the win stays expired, so an admin can still
      // give it a fresh window.
      report.empty_places.push_back(prize);
      continue;
    }
    if (!transaction.winners().mark_redrawn(old.id)) {
      throw StorageError(StorageError::Kind::kConflict, "win changed during the redraw");
    }
    old.status = WinStatus::kRedrawn;
    detail::audit(transaction, now, actor, AuditAction::kWinRedrawn, lottery.id, old.id,
                  "place " + std::to_string(old.place));
    report.winners.push_back(store_win(transaction, deps.random, deps.settings, lottery, prize,
                                       selection.picks[i], old.round + 1, now, actor));
    report.replaced.push_back(std::move(old));
  }
}

// Audits a redraw, tells the admins and the public chat, closes a settled lottery.
void announce_redraw(const Settings& settings, Transaction& transaction, const Lottery& lottery,
                     const RedrawReport& report, Instant now, const Actor& actor) {
  detail::audit(transaction, now, actor, AuditAction::kLotteryRedrawn, lottery.id, std::nullopt,
                "redrawn " + std::to_string(report.winners.size()) + " empty places [" +
                    places_text(report.empty_places) + "]");
  Notification summary = lottery_notification(NotificationKind::kAdminRedrawn, lottery, now);
  summary.count = static_cast<std::int64_t>(report.winners.size());
  summary.detail = places_text(report.empty_places);
  detail::notify_admins(transaction, settings, summary);
  announce(transaction, settings, NotificationKind::kResultsUpdated, lottery, now);
  detail::close_if_settled(transaction, lottery.id, now, actor);
}

}  // namespace

Result<RedrawReport> LotteryService::redraw(const Requester& requester, LotteryId lottery_id) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<RedrawReport> {
    auto lottery = transaction.lotteries().find_for_update(lottery_id);
    if (!lottery) return fail(ErrorCode::kUnknownLottery, std::to_string(lottery_id.value()));
    if (lottery->status != LotteryStatus::kDrawn) {
      return fail(lottery->status == LotteryStatus::kClosed ? ErrorCode::kNoExpiredWins
                                                            : ErrorCode::kNotDrawn,
                  std::to_string(lottery_id.value()));
    }
    const Instant now = deps_.clock.now();
    std::vector<Winner> expired = expired_wins(transaction, *lottery, now, *actor);
    if (expired.empty()) {
      return fail(ErrorCode::kNoExpiredWins, std::to_string(lottery_id.value()));
    }
    const auto [selection, cursor] =
        next_alternates(transaction, deps_.draw_randomness, *lottery, expired.size());
    RedrawReport report;
    replace_expired(deps_, transaction, *lottery, expired, selection, now, *actor, report);
    transaction.lotteries().set_draw_cursor(lottery_id, cursor);
    lottery->draw_cursor = cursor;
    lottery->skipped_ordinals.insert(lottery->skipped_ordinals.end(),
                                     selection.skipped_ordinals.begin(),
                                     selection.skipped_ordinals.end());
    transaction.lotteries().save_fairness(*lottery);
    announce_redraw(deps_.settings, transaction, *lottery, report, now, *actor);
    if (auto current = transaction.lotteries().find(lottery_id)) lottery = std::move(current);
    report.lottery = std::move(*lottery);
    return report;
  });
}

}  // namespace lottery
