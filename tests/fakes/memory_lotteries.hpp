#pragma once

// Lotteries, entries, winners and reports of the in-memory store (memory_store.cpp assembles them
// into transactions).

#include <algorithm>
#include <set>
#include <string>

#include "fakes/memory_store.hpp"
#include "fakes/memory_writes.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing::memory {

class MemoryLotteries : public LotteryRepository {
 public:
  explicit MemoryLotteries(Writes& writes) : writes_(writes) {}

  LotteryId insert(const Lottery& lottery) override {
    writes_.before("lotteries.insert");
    Lottery stored = lottery;
    stored.id = LotteryId{writes_.next_id("lotteries")};
    lotteries().emplace(stored.id.value(), stored);
    return stored.id;
  }
  std::optional<Lottery> find(LotteryId id) override {
    const auto found = lotteries().find(id.value());
    return found == lotteries().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<Lottery> find_for_update(LotteryId id) override { return find(id); }
  std::map<LotteryId, std::string> titles(std::span<const LotteryId> ids) override {
    std::map<LotteryId, std::string> found;
    for (const LotteryId id : ids) {
      if (const auto lottery = lotteries().find(id.value()); lottery != lotteries().end()) {
        found.emplace(id, lottery->second.title);
      }
    }
    return found;
  }
  std::vector<Lottery> list() override {
    std::vector<Lottery> all;
    for (const auto& [id, lottery] : lotteries()) all.push_back(lottery);
    std::sort(all.begin(), all.end(), [](const Lottery& a, const Lottery& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
    });
    return all;
  }
  bool mark_drawn(LotteryId id, Instant drawn_at, std::uint64_t cursor) override {
    writes_.before("lotteries.mark_drawn");
    const auto found = lotteries().find(id.value());
    if (found == lotteries().end() || found->second.status != LotteryStatus::kOpen) return false;
    found->second.status = LotteryStatus::kDrawn;
    found->second.drawn_at = drawn_at;
    found->second.draw_cursor = cursor;
    return true;
  }
  void save_fairness(const Lottery& lottery) override {
    writes_.before("lotteries.save_fairness");
    if (const auto found = lotteries().find(lottery.id.value()); found != lotteries().end()) {
      found->second.fairness_version = lottery.fairness_version;
      found->second.entries_hash = lottery.entries_hash;
      found->second.public_value = lottery.public_value;
      found->second.skipped_ordinals = lottery.skipped_ordinals;
    }
  }
  void set_draw_cursor(LotteryId id, std::uint64_t cursor) override {
    writes_.before("lotteries.set_draw_cursor");
    if (const auto found = lotteries().find(id.value()); found != lotteries().end()) {
      found->second.draw_cursor = cursor;
    }
  }
  void set_status(LotteryId id, LotteryStatus status) override {
    writes_.before("lotteries.set_status");
    if (const auto found = lotteries().find(id.value()); found != lotteries().end()) {
      found->second.status = status;
    }
  }

 private:
  std::map<std::int64_t, Lottery>& lotteries() { return writes_.state().lotteries; }
  Writes& writes_;
};

class MemoryEntries : public EntryRepository {
 public:
  explicit MemoryEntries(Writes& writes) : writes_(writes) {}

  bool add(LotteryId lottery, AccountId account) override {
    writes_.before("entries.add");
    auto& list = entries(lottery);
    if (std::find(list.begin(), list.end(), account) != list.end()) return false;
    list.push_back(account);
    return true;
  }
  std::uint64_t add_all_active(LotteryId lottery) override {
    writes_.before("entries.add_all_active");
    auto& list = entries(lottery);
    const std::set<AccountId> enrolled(list.begin(), list.end());
    std::uint64_t added = 0;
    for (const auto& [id, account] : writes_.state().accounts) {
      if (account.is_active && !enrolled.contains(account.id)) {
        list.push_back(account.id);
        ++added;
      }
    }
    return added;
  }
  std::uint64_t add_numbers(LotteryId lottery, std::span<const AccountNumber> numbers) override {
    writes_.before("entries.add_numbers");
    auto& list = entries(lottery);
    std::uint64_t added = 0;
    for (const AccountNumber& number : numbers) {
      for (const auto& [id, account] : writes_.state().accounts) {
        if (account.number == number && account.is_active &&
            std::find(list.begin(), list.end(), account.id) == list.end()) {
          list.push_back(account.id);
          ++added;
        }
      }
    }
    return added;
  }
  std::uint64_t count(LotteryId lottery) override { return entries(lottery).size(); }
  std::vector<Entry> range(LotteryId lottery, std::uint64_t from, std::uint64_t to) override {
    std::vector<std::uint64_t> ordinals;
    for (std::uint64_t ordinal = from; ordinal < std::min<std::uint64_t>(to, count(lottery));
         ++ordinal) {
      ordinals.push_back(ordinal);
    }
    return at(lottery, ordinals);
  }
  std::vector<Entry> at(LotteryId lottery, std::span<const std::uint64_t> ordinals) override {
    const auto& list = entries(lottery);
    std::vector<Entry> found;
    found.reserve(ordinals.size());
    for (const std::uint64_t ordinal : ordinals) {
      if (ordinal >= list.size()) {
        throw StorageError(StorageError::Kind::kUnavailable,
                           "no entry at ordinal " + std::to_string(ordinal));
      }
      const Account& account = writes_.state().accounts.at(list[ordinal].value());
      found.push_back(
          Entry{lottery, ordinal, account.id, account.number, account.owner, account.is_active});
    }
    return found;
  }
  bool contains(LotteryId lottery, AccountId account) override {
    const auto& list = entries(lottery);
    return std::find(list.begin(), list.end(), account) != list.end();
  }
  std::optional<std::uint64_t> ordinal_of(LotteryId lottery, AccountId account) override {
    const auto& list = entries(lottery);
    const auto found = std::find(list.begin(), list.end(), account);
    if (found == list.end()) return std::nullopt;
    return static_cast<std::uint64_t>(found - list.begin());
  }

 private:
  std::vector<AccountId>& entries(LotteryId lottery) {
    return writes_.state().entries[lottery.value()];
  }
  Writes& writes_;
};

class MemoryWinners : public WinnerRepository {
 public:
  explicit MemoryWinners(Writes& writes) : writes_(writes) {}

  WinnerId insert(const Winner& winner, const WinnerVerification& verification) override {
    writes_.before("winners.insert");
    for (const auto& [id, other] : winners()) {
      if (other.lottery == winner.lottery && other.place == winner.place &&
          other.round == winner.round) {
        throw StorageError(StorageError::Kind::kConflict, "duplicate place and round");
      }
    }
    Winner stored = winner;
    stored.id = WinnerId{writes_.next_id("winners")};
    winners().emplace(stored.id.value(), stored);
    WinnerVerification stored_verification = verification;
    stored_verification.winner = stored.id;
    writes_.state().verifications[stored.id.value()] = stored_verification;
    return stored.id;
  }
  std::optional<Winner> find(WinnerId id) override {
    const auto found = winners().find(id.value());
    return found == winners().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<WinnerVerification> verification(WinnerId id) override {
    const auto& verifications = writes_.state().verifications;
    const auto found = verifications.find(id.value());
    return found == verifications.end() ? std::nullopt : std::optional{found->second};
  }
  std::vector<Winner> list_by_lottery(LotteryId lottery) override {
    auto list = select([&](const Winner& winner) { return winner.lottery == lottery; });
    std::sort(list.begin(), list.end(), [](const Winner& a, const Winner& b) {
      return a.place != b.place ? a.place < b.place : a.round < b.round;
    });
    return list;
  }
  std::vector<Winner> list_by_user(UserId user) override {
    auto list = select([&](const Winner& winner) { return winner.user == user; });
    std::sort(list.begin(), list.end(), [](const Winner& a, const Winner& b) {
      return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
    });
    return list;
  }
  std::vector<Winner> open_by_account(AccountId account) override {
    return select([&](const Winner& winner) {
      return winner.account == account &&
             (winner.status == WinStatus::kPending || winner.status == WinStatus::kExpired);
    });
  }
  std::vector<AccountId> winning_accounts(LotteryId lottery) override {
    std::set<AccountId> accounts;
    for (const auto& [id, winner] : winners()) {
      if (winner.lottery == lottery) accounts.insert(winner.account);
    }
    return {accounts.begin(), accounts.end()};
  }
  std::vector<Winner> due_for_expiry(Instant now, std::size_t limit) override {
    auto list = select([&](const Winner& winner) {
      return winner.status == WinStatus::kPending && winner.deadline <= now;
    });
    std::stable_sort(list.begin(), list.end(),
                     [](const Winner& a, const Winner& b) { return a.deadline < b.deadline; });
    if (list.size() > limit)
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(limit), list.end());
    return list;
  }
  std::vector<Winner> due_for_reminder(Instant now, std::size_t limit) override {
    auto list = select([&](const Winner& winner) {
      return winner.status == WinStatus::kPending && !winner.reminded && winner.remind_at <= now &&
             now < winner.deadline;
    });
    std::stable_sort(list.begin(), list.end(),
                     [](const Winner& a, const Winner& b) { return a.remind_at < b.remind_at; });
    if (list.size() > limit)
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(limit), list.end());
    return list;
  }
  bool claim(WinnerId id, Instant now, ClaimMethod how,
             std::optional<TelegramUserId> admin) override {
    writes_.before("winners.claim");
    Winner* winner = get(id);
    if (!winner || !winner->is_confirmable(now)) return false;
    winner->status = WinStatus::kClaimed;
    winner->claimed_at = now;
    winner->claimed_how = how;
    WinnerVerification& verification = writes_.state().verifications[id.value()];
    verification.is_verified = true;
    verification.verified_at = now;
    verification.verified_by = admin;
    return true;
  }
  bool expire(WinnerId id, Instant now) override {
    writes_.before("winners.expire");
    Winner* winner = get(id);
    if (!winner || winner->status != WinStatus::kPending || now < winner->deadline) return false;
    winner->status = WinStatus::kExpired;
    return true;
  }
  bool mark_redrawn(WinnerId id) override {
    writes_.before("winners.mark_redrawn");
    Winner* winner = get(id);
    if (!winner || winner->status != WinStatus::kExpired) return false;
    winner->status = WinStatus::kRedrawn;
    return true;
  }
  bool extend(WinnerId id, Instant deadline, Instant remind_at, const std::string& token) override {
    writes_.before("winners.extend");
    Winner* winner = get(id);
    if (!winner ||
        (winner->status != WinStatus::kPending && winner->status != WinStatus::kExpired)) {
      return false;
    }
    winner->status = WinStatus::kPending;
    winner->deadline = deadline;
    winner->remind_at = remind_at;
    winner->reminded = false;
    WinnerVerification& verification = writes_.state().verifications[id.value()];
    verification.token = token;
    verification.is_verified = false;
    verification.verified_at.reset();
    verification.verified_by.reset();
    verification.expires_at = deadline;
    return true;
  }
  bool mark_reminded(WinnerId id) override {
    writes_.before("winners.mark_reminded");
    Winner* winner = get(id);
    if (!winner || winner->status != WinStatus::kPending || winner->reminded) return false;
    winner->reminded = true;
    return true;
  }
  bool mark_prize_given(WinnerId id, Instant at) override {
    writes_.before("winners.mark_prize_given");
    Winner* winner = get(id);
    if (!winner || winner->status != WinStatus::kClaimed || winner->prize_given_at) return false;
    winner->prize_given_at = at;
    return true;
  }
  void start_challenge(const SmsChallenge& challenge) override {
    writes_.before("winners.start_challenge");
    writes_.state().challenges[challenge.winner.value()] = challenge;
  }
  std::optional<SmsChallenge> challenge(WinnerId id) override {
    const auto found = writes_.state().challenges.find(id.value());
    if (found == writes_.state().challenges.end()) return std::nullopt;
    return found->second;
  }
  bool spend_attempt(WinnerId id) override {
    writes_.before("winners.spend_attempt");
    const auto found = writes_.state().challenges.find(id.value());
    if (found == writes_.state().challenges.end() || found->second.attempts_left <= 0) {
      return false;
    }
    --found->second.attempts_left;
    ++found->second.guesses;
    return true;
  }
  void end_challenge(WinnerId id) override {
    writes_.before("winners.end_challenge");
    const auto found = writes_.state().challenges.find(id.value());
    if (found != writes_.state().challenges.end()) found->second.attempts_left = 0;
  }
  bool set_user(WinnerId id, UserId user) override {
    writes_.before("winners.set_user");
    Winner* winner = get(id);
    if (!winner ||
        (winner->status != WinStatus::kPending && winner->status != WinStatus::kExpired)) {
      return false;
    }
    winner->user = user;
    return true;
  }

 private:
  std::map<std::int64_t, Winner>& winners() { return writes_.state().winners; }
  Winner* get(WinnerId id) {
    const auto found = winners().find(id.value());
    return found == winners().end() ? nullptr : &found->second;
  }
  template <class Predicate>
  std::vector<Winner> select(Predicate predicate) {
    std::vector<Winner> list;
    for (const auto& [id, winner] : winners()) {
      if (predicate(winner)) list.push_back(winner);
    }
    return list;
  }
  Writes& writes_;
};

class MemoryReports : public ReportQueries {
 public:
  explicit MemoryReports(Writes& writes) : writes_(writes) {}

  std::vector<WinnersByCardRow> winners_by_card() override {
    std::map<std::optional<UserId>, WinnersByCardRow> by_user;
    for (const auto& [winner_id, winner] : writes_.state().winners) {
      auto [row, added] = by_user.try_emplace(winner.user);
      if (added && winner.user) {
        const User& user = writes_.state().users.at(winner.user->value());
        row->second.club_card = user.club_card;
        row->second.first_name = user.first_name;
      }
      ++row->second.total_wins;
      if (winner.is_claimed()) ++row->second.claimed_wins;
    }
    std::vector<WinnersByCardRow> rows;
    rows.reserve(by_user.size());
    for (auto& [user, row] : by_user) rows.push_back(std::move(row));
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      if (a.club_card.has_value() != b.club_card.has_value()) return a.club_card.has_value();
      return a.club_card && *a.club_card < *b.club_card;
    });
    return rows;
  }

  std::vector<TopAccountRow> top_accounts(std::optional<std::size_t> limit) override {
    std::map<AccountId, std::int64_t> counts;
    for (const auto& [lottery, list] : writes_.state().entries) {
      for (const AccountId account : list) ++counts[account];
    }
    std::vector<TopAccountRow> rows;
    for (const auto& [account_id, count] : counts) {
      const Account& account = writes_.state().accounts.at(account_id.value());
      std::optional<ClubCard> card;
      if (account.owner) card = writes_.state().users.at(account.owner->value()).club_card;
      rows.push_back(TopAccountRow{account.number, card, count});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.participations != b.participations ? a.participations > b.participations
                                                  : a.account < b.account;
    });
    if (limit && rows.size() > *limit)
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(*limit), rows.end());
    return rows;
  }

  std::vector<UnclaimedRow> unclaimed_past_deadline(Instant now) override {
    std::vector<UnclaimedRow> rows;
    for (const auto& [id, winner] : writes_.state().winners) {
      if (winner.status != WinStatus::kPending && winner.status != WinStatus::kExpired) continue;
      if (winner.deadline > now) continue;
      const Lottery& lottery = writes_.state().lotteries.at(winner.lottery.value());
      std::optional<ClubCard> card;
      if (winner.user) card = writes_.state().users.at(winner.user->value()).club_card;
      rows.push_back(UnclaimedRow{lottery.id, lottery.title, winner.id, winner.place, winner.prize,
                                  winner.account_number, card, winner.created_at, winner.deadline});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.deadline < b.deadline; });
    return rows;
  }

 private:
  Writes& writes_;
};

}  // namespace lottery::testing::memory
