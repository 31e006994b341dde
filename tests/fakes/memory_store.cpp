#include "memory_store.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "lottery/ports/storage_error.hpp"

namespace lottery::testing {
namespace {

class Writes {
 public:
  Writes(MemoryState& state, const std::function<void(std::string_view)>& hook)
      : state_(state), hook_(hook) {}
  MemoryState& state() { return state_; }
  void before(std::string_view operation) {
    if (hook_) hook_(operation);
  }
  std::int64_t next_id(const std::string& table) { return ++state_.sequences[table]; }

 private:
  MemoryState& state_;
  const std::function<void(std::string_view)>& hook_;
};

class MemoryUsers : public UserRepository {
 public:
  explicit MemoryUsers(Writes& writes) : writes_(writes) {}

  std::optional<User> find(UserId id) override {
    const auto found = users().find(id.value());
    return found == users().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<User> find_by_telegram_id(TelegramUserId telegram_id) override {
    return find_if([&](const User& user) { return user.telegram_id == telegram_id; });
  }
  std::optional<User> find_by_club_card(const ClubCard& card) override {
    return find_if([&](const User& user) { return user.club_card == card; });
  }
  std::optional<User> find_by_code(const VerificationCode& code) override {
    return find_if([&](const User& user) { return user.verification_code == code; });
  }
  Result<UserId> insert(const User& user) override {
    writes_.before("users.insert");
    if (auto unique = check_unique(user, UserId{}); !unique) return tl::unexpected(unique.error());
    User stored = user;
    stored.id = UserId{writes_.next_id("users")};
    users()[stored.id.value()] = stored;
    return stored.id;
  }
  Result<void> update(const User& user) override {
    writes_.before("users.update");
    if (!users().contains(user.id.value())) return fail(ErrorCode::kUnknownUser);
    if (auto unique = check_unique(user, user.id); !unique) return unique;
    users()[user.id.value()] = user;
    return {};
  }

 private:
  std::map<std::int64_t, User>& users() { return writes_.state().users; }

  template <class Predicate>
  std::optional<User> find_if(Predicate predicate) {
    for (const auto& [id, user] : users()) {
      if (predicate(user)) return user;
    }
    return std::nullopt;
  }

  Result<void> check_unique(const User& user, UserId self) {
    for (const auto& [id, other] : users()) {
      if (other.id == self) continue;
      if (other.telegram_id == user.telegram_id) return fail(ErrorCode::kAlreadyRegistered);
      if (user.club_card && other.club_card == user.club_card) {
        return fail(ErrorCode::kCardTaken, user.club_card->str());
      }
      if (user.verification_code && other.verification_code == user.verification_code) {
        return fail(ErrorCode::kCodeTaken);
      }
    }
    return {};
  }

  Writes& writes_;
};

class MemoryAccounts : public AccountRepository {
 public:
  explicit MemoryAccounts(Writes& writes) : writes_(writes) {}

  std::optional<Account> find(AccountId id) override {
    const auto found = accounts().find(id.value());
    return found == accounts().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<Account> find_by_number(const AccountNumber& number) override {
    for (const auto& [id, account] : accounts()) {
      if (account.number == number) return account;
    }
    return std::nullopt;
  }
  Result<AccountId> insert(const Account& account) override {
    writes_.before("accounts.insert");
    if (find_by_number(account.number)) {
      return fail(ErrorCode::kAccountExists, account.number.str());
    }
    Account stored = account;
    stored.id = AccountId{writes_.next_id("accounts")};
    accounts().emplace(stored.id.value(), stored);
    return stored.id;
  }
  void update(const Account& account) override {
    writes_.before("accounts.update");
    const auto found = accounts().find(account.id.value());
    if (found == accounts().end()) return;
    found->second.owner = account.owner;
    found->second.is_active = account.is_active;
  }
  std::vector<Account> list_by_owner(UserId owner) override {
    std::vector<Account> owned;
    for (const auto& [id, account] : accounts()) {
      if (account.owner == owner) owned.push_back(account);
    }
    std::sort(owned.begin(), owned.end(),
              [](const Account& a, const Account& b) { return a.number < b.number; });
    return owned;
  }
  std::vector<AccountImportResult> import_new(std::span<const AccountImportRow> rows,
                                              Instant now) override {
    writes_.before("accounts.import_new");
    std::vector<AccountImportResult> results;
    results.reserve(rows.size());
    for (const AccountImportRow& row : rows) {
      AccountImportResult result;
      if (row.card) {
        for (const auto& [id, user] : writes_.state().users) {
          if (user.club_card == row.card && user.is_registered) result.holder = user.id;
        }
      }
      result.existing = find_by_number(row.number);
      if (!result.existing) {
        Account account{AccountId{writes_.next_id("accounts")}, row.number, result.holder, true,
                        now};
        accounts().emplace(account.id.value(), account);
        result.inserted = true;
      }
      results.push_back(result);
    }
    return results;
  }

 private:
  std::map<std::int64_t, Account>& accounts() { return writes_.state().accounts; }
  Writes& writes_;
};

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
  std::vector<Winner> pending_by_account(AccountId account) override {
    return select([&](const Winner& winner) {
      return winner.account == account && winner.status == WinStatus::kPending;
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
  bool extend(WinnerId id, Instant deadline, Instant remind_at) override {
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
    writes_.state().verifications[id.value()].expires_at = deadline;
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
  void set_user(WinnerId id, UserId user) override {
    writes_.before("winners.set_user");
    if (Winner* winner = get(id)) winner->user = user;
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
    std::vector<WinnersByCardRow> rows;
    for (const auto& [id, user] : writes_.state().users) {
      if (!user.club_card) continue;
      WinnersByCardRow row{*user.club_card, user.first_name, 0, 0};
      for (const auto& [winner_id, winner] : writes_.state().winners) {
        if (winner.user != user.id) continue;
        ++row.total_wins;
        if (winner.is_claimed()) ++row.claimed_wins;
      }
      if (row.total_wins > 0) rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.club_card < b.club_card; });
    return rows;
  }

  std::vector<TopAccountRow> top_accounts(std::size_t limit) override {
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
    if (rows.size() > limit)
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(limit), rows.end());
    return rows;
  }

  std::vector<UnclaimedRow> unclaimed_past_window(Instant now) override {
    std::vector<UnclaimedRow> rows;
    for (const auto& [id, winner] : writes_.state().winners) {
      if (winner.status != WinStatus::kPending && winner.status != WinStatus::kExpired) continue;
      const Lottery& lottery = writes_.state().lotteries.at(winner.lottery.value());
      if (!(winner.created_at + lottery.claim_window < now)) continue;
      std::optional<ClubCard> card;
      if (winner.user) card = writes_.state().users.at(winner.user->value()).club_card;
      rows.push_back(UnclaimedRow{lottery.id, lottery.title, winner.id, winner.place, winner.prize,
                                  winner.account_number, card, winner.created_at});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
    return rows;
  }

 private:
  Writes& writes_;
};

class MemoryOutbox : public Outbox {
 public:
  explicit MemoryOutbox(Writes& writes) : writes_(writes) {}

  NotificationId enqueue(const Notification& notification) override {
    writes_.before("outbox.enqueue");
    Notification stored = notification;
    stored.id = NotificationId{writes_.next_id("outbox")};
    stored.attempts = 0;
    stored.parts_sent = 0;
    stored.parts_digest = 0;
    writes_.state().outbox.push_back(stored);
    writes_.state().deliveries[stored.id.value()] = Delivery{};
    return stored.id;
  }
  std::vector<Notification> pending(std::size_t limit, Instant now, const std::string& sender,
                                    std::span<const ChatId> skip) override {
    std::vector<Notification> replies;
    std::vector<Notification> list;
    std::set<std::int64_t> chats_seen;  // a chat's first unfinished message blocks the rest
    for (const Notification& notification : writes_.state().outbox) {
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (delivery.sent_at || delivery.failed_at) continue;
      if (!chats_seen.insert(notification.chat.value()).second) continue;
      if (std::find(skip.begin(), skip.end(), notification.chat) != skip.end()) continue;
      if (delivery.next_attempt_at && *delivery.next_attempt_at > now) continue;
      if (leased_to_another(delivery, now, sender)) continue;
      (is_sent_first(notification.kind) ? replies : list).push_back(notification);
    }
    replies.insert(replies.end(), list.begin(), list.end());
    if (replies.size() > limit) replies.resize(limit);
    return replies;
  }
  bool lease(NotificationId id, Instant now, const std::string& sender, Instant until) override {
    const auto due = pending(writes_.state().outbox.size(), now, sender, {});
    if (std::none_of(due.begin(), due.end(), [&](const auto& item) { return item.id == id; })) {
      return false;
    }
    writes_.before("outbox.lease");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.leased_by = sender;
    delivery.leased_until = until;
    return true;
  }
  void release_leases(const std::string& sender) override {
    writes_.before("outbox.release_leases");
    for (auto& [id, delivery] : writes_.state().deliveries) {
      if (delivery.leased_by == sender) end_lease(delivery);
    }
  }
  void mark_sent(NotificationId id, Instant at, std::optional<std::int64_t> message_id) override {
    writes_.before("outbox.mark_sent");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.sent_at = at;
    if (message_id) delivery.message_id = message_id;
    end_lease(delivery);
  }
  void mark_parts_sent(NotificationId id, int parts, std::optional<std::int64_t> first_message_id,
                       std::int64_t digest) override {
    writes_.before("outbox.mark_parts_sent");
    if (first_message_id) writes_.state().deliveries.at(id.value()).message_id = first_message_id;
    for (Notification& notification : writes_.state().outbox) {
      if (notification.id != id) continue;
      notification.parts_sent = parts;
      notification.parts_digest = digest;
    }
  }
  void mark_failed(NotificationId id, Instant at, const std::string& reason) override {
    writes_.before("outbox.mark_failed");
    Delivery& delivery = writes_.state().deliveries.at(id.value());
    delivery.failed_at = at;
    delivery.failure = reason;
    end_lease(delivery);
  }
  std::size_t fail_replies(ChatId chat, Instant at, const std::string& reason) override {
    writes_.before("outbox.fail_replies");
    std::size_t dropped = 0;
    for (const Notification& notification : writes_.state().outbox) {
      Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (notification.chat != chat || !is_reply(notification.kind) || delivery.sent_at ||
          delivery.failed_at) {
        continue;
      }
      delivery.failed_at = at;
      delivery.failure = reason;
      end_lease(delivery);
      ++dropped;
    }
    return dropped;
  }
  bool warned_about(ChatId chat, std::optional<WinnerId> winner, Instant since) override {
    return std::any_of(writes_.state().outbox.begin(), writes_.state().outbox.end(),
                       [&](const Notification& notification) {
                         return notification.kind == NotificationKind::kAdminUndeliverable &&
                                notification.count == chat.value() &&
                                notification.winner == winner && notification.created_at >= since;
                       });
  }
  void postpone(NotificationId id, Instant until) override {
    writes_.before("outbox.postpone");
    writes_.state().deliveries.at(id.value()).next_attempt_at = until;
    end_lease(writes_.state().deliveries.at(id.value()));
    for (Notification& notification : writes_.state().outbox) {
      if (notification.id == id) ++notification.attempts;
    }
  }
  std::optional<std::int64_t> sent_message(LotteryId lottery, NotificationKind kind) override {
    std::optional<std::int64_t> found;
    for (const Notification& notification : writes_.state().outbox) {
      if (notification.lottery != lottery || notification.kind != kind) continue;
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      if (delivery.message_id) found = delivery.message_id;
    }
    return found;
  }
  DeliveryProgress progress(LotteryId lottery, NotificationKind kind) override {
    DeliveryProgress progress;
    for (const Notification& notification : writes_.state().outbox) {
      if (notification.lottery != lottery || notification.kind != kind) continue;
      const Delivery& delivery = writes_.state().deliveries.at(notification.id.value());
      ++progress.total;
      if (delivery.sent_at) ++progress.sent;
      if (delivery.failed_at) ++progress.failed;
    }
    return progress;
  }
  std::vector<SentNotification> unfinished_progress_posts(Instant since) override {
    std::vector<SentNotification> posts;
    for (const Notification& post : writes_.state().outbox) {
      const Delivery& delivery = writes_.state().deliveries.at(post.id.value());
      if (post.kind != NotificationKind::kDrawProgress || !post.lottery || !delivery.message_id ||
          post.created_at < since) {
        continue;
      }
      const DeliveryProgress winners = progress(*post.lottery, NotificationKind::kWinnerDrawn);
      if (winners.sent + winners.failed < winners.total) {
        posts.push_back(SentNotification{post, *delivery.message_id});
      }
    }
    return posts;
  }

 private:
  static bool leased_to_another(const Delivery& delivery, Instant now, const std::string& sender) {
    return delivery.leased_until && *delivery.leased_until > now && delivery.leased_by != sender;
  }
  static void end_lease(Delivery& delivery) {
    delivery.leased_by.clear();
    delivery.leased_until.reset();
  }

  Writes& writes_;
};

class MemoryDialogues : public DialogueRepository {
 public:
  explicit MemoryDialogues(Writes& writes) : writes_(writes) {}

  std::optional<Dialogue> find(ChatId chat, TelegramUserId user) override {
    const auto& dialogues = writes_.state().dialogues;
    const auto found = dialogues.find({chat.value(), user.value()});
    return found == dialogues.end() ? std::nullopt : std::optional{found->second};
  }
  void save(const Dialogue& dialogue) override {
    writes_.before("dialogues.save");
    writes_.state().dialogues[{dialogue.chat.value(), dialogue.user.value()}] = dialogue;
  }
  void remove(ChatId chat, TelegramUserId user) override {
    writes_.before("dialogues.remove");
    writes_.state().dialogues.erase({chat.value(), user.value()});
  }

 private:
  Writes& writes_;
};

class MemoryUpdates : public ProcessedUpdates {
 public:
  explicit MemoryUpdates(Writes& writes) : writes_(writes) {}

  bool claim(std::int64_t update_id, Instant at) override {
    if (writes_.state().processed_updates.contains(update_id)) return false;
    writes_.before("updates.claim");
    writes_.state().processed_updates.emplace(update_id, at);
    return true;
  }
  void prune(Instant before) override {
    writes_.before("updates.prune");
    std::erase_if(writes_.state().processed_updates,
                  [&](const auto& entry) { return entry.second < before; });
  }

 private:
  Writes& writes_;
};

class MemoryAudit : public AuditLog {
 public:
  explicit MemoryAudit(Writes& writes) : writes_(writes) {}

  void append(const AuditEvent& event) override {
    writes_.before("audit.append");
    writes_.state().audit.push_back(event);
  }
  std::vector<AuditEvent> for_lottery(LotteryId lottery) override {
    std::vector<AuditEvent> events;
    for (const AuditEvent& event : writes_.state().audit) {
      if (event.lottery == lottery) events.push_back(event);
    }
    return events;
  }

 private:
  Writes& writes_;
};

}  // namespace

class MemoryTransaction : public Transaction {
 public:
  // A top-level transaction: holds the store's lock until it ends.
  explicit MemoryTransaction(MemoryStore& store)
      : store_(store),
        lock_(store.mutex_),
        state_(store.state_),
        writes_(state_, store.write_hook_) {}
  // A nested one: works on a copy of its parent's state, handed back on commit.
  MemoryTransaction(MemoryStore& store, MemoryState& parent)
      : store_(store), parent_(&parent), state_(parent), writes_(state_, store.write_hook_) {}

  UserRepository& users() override { return users_; }
  AccountRepository& accounts() override { return accounts_; }
  LotteryRepository& lotteries() override { return lotteries_; }
  EntryRepository& entries() override { return entries_; }
  WinnerRepository& winners() override { return winners_; }
  ReportQueries& reports() override { return reports_; }
  Outbox& outbox() override { return outbox_; }
  AuditLog& audit() override { return audit_; }
  DialogueRepository& dialogues() override { return dialogues_; }
  ProcessedUpdates& updates() override { return updates_; }

  std::unique_ptr<Transaction> nested() override {
    return std::make_unique<MemoryTransaction>(store_, state_);
  }

  void commit() override {
    if (committed_) throw StorageError(StorageError::Kind::kUnavailable, "already committed");
    writes_.before(parent_ ? "nested.commit" : "commit");
    (parent_ ? *parent_ : store_.state_) = std::move(state_);
    committed_ = true;
  }

 private:
  MemoryStore& store_;
  MemoryState* parent_{nullptr};
  std::unique_lock<std::mutex> lock_;
  MemoryState state_;
  Writes writes_;
  MemoryUsers users_{writes_};
  MemoryAccounts accounts_{writes_};
  MemoryLotteries lotteries_{writes_};
  MemoryEntries entries_{writes_};
  MemoryWinners winners_{writes_};
  MemoryReports reports_{writes_};
  MemoryOutbox outbox_{writes_};
  MemoryAudit audit_{writes_};
  MemoryDialogues dialogues_{writes_};
  MemoryUpdates updates_{writes_};
  bool committed_{false};
};

std::unique_ptr<Transaction> MemoryStore::begin() {
  return std::make_unique<MemoryTransaction>(*this);
}

MemoryState MemoryStore::snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void MemoryStore::set_write_hook(std::function<void(std::string_view)> hook) {
  std::lock_guard lock(mutex_);
  write_hook_ = std::move(hook);
}

}  // namespace lottery::testing
