#include "repositories.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "lottery/core/draw_verification.hpp"
#include "sql_support.hpp"
#include "staging.hpp"

namespace lottery::db {
namespace {

using soci::into;
using soci::use;

// ---------------------------------------------------------------------------------
// Users

constexpr const char* kUserColumns =
    "SELECT id, telegram_id, username, first_name, club_card_number, phone, "
    "lottery_flag(is_registered), verification_code, lottery_us(created_at) FROM users ";

User user_from(const soci::row& row) {
  User user;
  user.id = UserId{integer(row, 0)};
  user.telegram_id = TelegramUserId{integer(row, 1)};
  user.username = text(row, 2);
  user.first_name = text(row, 3);
  if (const auto card = optional_text(row, 4))
    user.club_card = must(ClubCard::from_storage(*card), "card");
  if (const auto phone = optional_text(row, 5)) user.phone = must(Phone::parse(*phone), "phone");
  user.is_registered = integer(row, 6) != 0;
  if (const auto code = optional_text(row, 7)) {
    user.verification_code = must(VerificationCode::parse(*code), "verification code");
  }
  user.created_at = instant(row, 8);
  return user;
}

// A conditional update that changes one row or none: true when it changed the row.
template <class... Uses>
bool changed(soci::session& session, const std::string& sql, Uses&&... uses) {
  return execute_once(session, sql, std::forward<Uses>(uses)...) == 1;
}

class SqlUsers : public UserRepository {
 public:
  explicit SqlUsers(soci::session& session) : session_(session) {}

  std::optional<User> find(UserId id) override {
    long long key = id.value();
    return one(std::string(kUserColumns) + "WHERE id = :key", key);
  }
  std::optional<User> find_by_telegram_id(TelegramUserId telegram_id) override {
    long long key = telegram_id.value();
    return one(std::string(kUserColumns) + "WHERE telegram_id = :key", key);
  }
  std::optional<User> find_by_club_card(const ClubCard& card) override {
    std::string key = card.str();
    return one(std::string(kUserColumns) + "WHERE club_card_number = :key", key);
  }
  std::optional<User> find_by_code(const VerificationCode& code) override {
    std::string key = code.str();
    return one(std::string(kUserColumns) + "WHERE verification_code = :key", key);
  }

  Result<UserId> insert(const User& user) override {
    if (auto unique = check_unique(user); !unique) return tl::unexpected(unique.error());
    return guarded([&]() -> Result<UserId> {
      Bound bound(user);
      long long created_at = micros(user.created_at);
      long long id = 0;
      session_ << "INSERT INTO users (telegram_id, username, first_name, club_card_number, "
                  "phone, is_registered, verification_code, created_at) VALUES (:telegram_id, "
                  ":username, :first_name, :card, :phone, :registered, :code, "
                  "lottery_ts(:created_at)) RETURNING id",
          use(bound.telegram_id, "telegram_id"), use(bound.username, "username"),
          use(bound.first_name, "first_name"), use(bound.card.value, bound.card.indicator, "card"),
          use(bound.phone.value, bound.phone.indicator, "phone"),
          use(bound.registered, "registered"), use(bound.code.value, bound.code.indicator, "code"),
          use(created_at, "created_at"), into(id);
      return UserId{id};
    });
  }

  Result<void> update(const User& user) override {
    if (auto unique = check_unique(user); !unique) return unique;
    return guarded([&]() -> Result<void> {
      Bound bound(user);
      long long id = user.id.value();
      session_ << "UPDATE users SET telegram_id = :telegram_id, username = :username, "
                  "first_name = :first_name, club_card_number = :card, phone = :phone, "
                  "is_registered = :registered, verification_code = :code WHERE id = :id",
          use(bound.telegram_id, "telegram_id"), use(bound.username, "username"),
          use(bound.first_name, "first_name"), use(bound.card.value, bound.card.indicator, "card"),
          use(bound.phone.value, bound.phone.indicator, "phone"),
          use(bound.registered, "registered"), use(bound.code.value, bound.code.indicator, "code"),
          use(id, "id");
      return {};
    });
  }

 private:
  // A user's columns as bindable values, alive while the statement runs.
  struct Bound {
    explicit Bound(const User& user)
        : telegram_id(user.telegram_id.value()),
          username(user.username),
          first_name(user.first_name),
          registered(user.is_registered ? 1 : 0) {
      if (user.club_card) card = {user.club_card->str(), soci::i_ok};
      if (user.phone) phone = {user.phone->str(), soci::i_ok};
      if (user.verification_code) code = {user.verification_code->str(), soci::i_ok};
    }
    long long telegram_id;
    std::string username;
    std::string first_name;
    int registered;
    Nullable<std::string> card;
    Nullable<std::string> phone;
    Nullable<std::string> code;
  };

  template <class Key>
  std::optional<User> one(const std::string& sql, Key& key) {
    return guarded([&]() -> std::optional<User> {
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) return user_from(row);
      return std::nullopt;
    });
  }

  // The store's unique keys, checked first so the refusal names the key; a concurrent
  // insert that slips past fails on the constraint and is retried as a conflict.
  Result<void> check_unique(const User& user) {
    const auto other = [&](const std::optional<User>& found) {
      return found && found->id != user.id;
    };
    if (other(find_by_telegram_id(user.telegram_id))) return fail(ErrorCode::kAlreadyRegistered);
    if (user.club_card && other(find_by_club_card(*user.club_card))) {
      return fail(ErrorCode::kCardTaken, user.club_card->str());
    }
    if (user.verification_code && other(find_by_code(*user.verification_code))) {
      return fail(ErrorCode::kCodeTaken);
    }
    return {};
  }

  soci::session& session_;
};

// ---------------------------------------------------------------------------------
// Accounts

constexpr const char* kAccountColumns =
    "SELECT id, account_number, owner_id, lottery_flag(is_active), lottery_us(created_at) "
    "FROM accounts ";

Account account_from(const soci::row& row) {
  std::optional<UserId> owner;
  if (const auto id = optional_integer(row, 2)) owner = UserId{*id};
  return Account{AccountId{integer(row, 0)},
                 must(AccountNumber::parse(text(row, 1)), "account number"), owner,
                 integer(row, 3) != 0, instant(row, 4)};
}

class SqlAccounts : public AccountRepository {
 public:
  SqlAccounts(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  std::optional<Account> find(AccountId id) override {
    long long key = id.value();
    return one(std::string(kAccountColumns) + "WHERE id = :key", key);
  }
  std::optional<Account> find_by_number(const AccountNumber& number) override {
    std::string key = number.str();
    return one(std::string(kAccountColumns) + "WHERE account_number = :key", key);
  }
  Result<AccountId> insert(const Account& account) override {
    if (find_by_number(account.number)) {
      return fail(ErrorCode::kAccountExists, account.number.str());
    }
    return guarded([&]() -> Result<AccountId> {
      std::string number = account.number.str();
      auto owner = nullable<long long>(owner_value(account));
      int active = account.is_active ? 1 : 0;
      long long created_at = micros(account.created_at);
      long long id = 0;
      session_ << "INSERT INTO accounts (account_number, owner_id, is_active, created_at) "
                  "VALUES (:number, :owner, :active, lottery_ts(:created_at)) RETURNING id",
          use(number, "number"), use(owner.value, owner.indicator, "owner"), use(active, "active"),
          use(created_at, "created_at"), into(id);
      return AccountId{id};
    });
  }
  void update(const Account& account) override {
    guarded([&] {
      auto owner = nullable<long long>(owner_value(account));
      int active = account.is_active ? 1 : 0;
      long long id = account.id.value();
      session_ << "UPDATE accounts SET owner_id = :owner, is_active = :active WHERE id = :id",
          use(owner.value, owner.indicator, "owner"), use(active, "active"), use(id, "id");
    });
  }
  std::vector<Account> list_by_owner(UserId owner) override {
    return guarded([&] {
      long long key = owner.value();
      std::vector<Account> accounts;
      Rows rows(session_,
                std::string(kAccountColumns) + "WHERE owner_id = :owner ORDER BY account_number",
                use(key, "owner"));
      for (const auto& row : rows) accounts.push_back(account_from(row));
      return accounts;
    });
  }
  std::vector<AccountImportResult> import_new(std::span<const AccountImportRow> rows,
                                              Instant now) override {
    return guarded([&] {
      if (dialect_ == Dialect::kPostgresql && !rows.empty()) {
        if (auto all_new = import_all_new(rows, now)) return std::move(*all_new);
      }
      std::vector<StagedRow> staged;
      staged.reserve(rows.size());
      for (std::size_t position = 0; position < rows.size(); ++position) {
        const AccountImportRow& row = rows[position];
        staged.push_back(
            StagedRow{static_cast<std::int64_t>(position), row.number.str(),
                      row.card ? std::optional<std::string>(row.card->str()) : std::nullopt});
      }
      const StagingTable staging(session_, dialect_, staged);
      std::vector<AccountImportResult> results(rows.size());
      // Only the rows with something to report come back: a fresh import reads nothing.
      Rows found(session_,
                 "SELECT a.id, a.account_number, a.owner_id, lottery_flag(a.is_active), "
                 "lottery_us(a.created_at), s.position, u.id FROM lottery_staging s "
                 "LEFT JOIN users u ON u.club_card_number = s.club_card AND u.is_registered = TRUE "
                 "LEFT JOIN accounts a ON a.account_number = s.account_number "
                 "WHERE u.id IS NOT NULL OR a.id IS NOT NULL");
      for (const auto& row : found) {
        AccountImportResult& result = results.at(static_cast<std::size_t>(integer(row, 5)));
        if (const auto holder = optional_integer(row, 6)) result.holder = UserId{*holder};
        if (!is_null(row, 0)) {
          result.existing = account_from(row);
        }
      }
      insert_new_accounts(rows, results, now);
      for (AccountImportResult& result : results) result.inserted = !result.existing;
      return results;
    });
  }

 private:
  // The common case of a big import, all numbers new, at the cost of one COPY: tried
  // under a savepoint, and undone when a number is on record already (then the caller
  // looks every row up first).
  std::optional<std::vector<AccountImportResult>> import_all_new(
      std::span<const AccountImportRow> rows, Instant now) {
    std::vector<AccountImportResult> results(rows.size());
    if (std::any_of(rows.begin(), rows.end(), [](const auto& row) { return row.card; })) {
      std::unordered_map<std::string, UserId> holders;
      Rows registered(session_,
                      "SELECT club_card_number, id FROM users "
                      "WHERE is_registered = TRUE AND club_card_number IS NOT NULL");
      for (const auto& row : registered) holders.emplace(text(row, 0), UserId{integer(row, 1)});
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].card) continue;
        if (const auto found = holders.find(rows[i].card->str()); found != holders.end()) {
          results[i].holder = found->second;
        }
      }
    }
    session_ << "SAVEPOINT lottery_import";
    try {
      insert_new_accounts(rows, results, now);
    } catch (const StorageError& error) {
      if (error.kind() != StorageError::Kind::kConflict) throw;
      session_ << "ROLLBACK TO SAVEPOINT lottery_import";
      return std::nullopt;
    }
    session_ << "RELEASE SAVEPOINT lottery_import";
    for (AccountImportResult& result : results) result.inserted = true;
    return results;
  }

  // The accounts of the rows found on record by nobody, in the rows' order: COPY on
  // PostgreSQL (its fastest way in), prepared inserts on SQLite. A number added since by
  // another transaction breaks the unique index: a conflict, and the caller starts over.
  void insert_new_accounts(std::span<const AccountImportRow> rows,
                           const std::vector<AccountImportResult>& results, Instant now) {
    std::vector<std::size_t> fresh;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!results[i].existing) fresh.push_back(i);
    }
    if (fresh.empty()) return;
    if (dialect_ == Dialect::kPostgresql) {
      copy_in(session_,
              "COPY accounts (account_number, owner_id, is_active, created_at) FROM STDIN "
              "(FORMAT binary)",
              fresh.size(), [&](std::size_t index, std::string& out) {
                if (index == 0) binary_copy::header(out);
                const std::size_t row = fresh[index];
                binary_copy::row(out, 4);
                binary_copy::text(out, rows[row].number.str());
                binary_copy::bigint(out, results[row].holder ? std::optional<std::int64_t>(
                                                                   results[row].holder->value())
                                                             : std::nullopt);
                binary_copy::boolean(out, true);
                binary_copy::timestamptz(out, now);
                if (index + 1 == fresh.size()) binary_copy::trailer(out);
              });
      return;
    }
    std::vector<std::string> numbers;
    std::vector<long long> owners;
    std::vector<soci::indicator> owner_indicators;
    for (const std::size_t row : fresh) {
      numbers.push_back(rows[row].number.str());
      owners.push_back(results[row].holder ? results[row].holder->value() : 0);
      owner_indicators.push_back(results[row].holder ? soci::i_ok : soci::i_null);
    }
    std::vector<long long> created_at(fresh.size(), micros(now));  // a bulk binds only vectors
    session_ << "INSERT INTO accounts (account_number, owner_id, is_active, created_at) "
                "VALUES (:number, :owner, 1, :created_at)",
        use(numbers, "number"), use(owners, owner_indicators, "owner"),
        use(created_at, "created_at");
  }

  static std::optional<long long> owner_value(const Account& account) {
    if (!account.owner) return std::nullopt;
    return account.owner->value();
  }

  template <class Key>
  std::optional<Account> one(const std::string& sql, Key& key) {
    return guarded([&]() -> std::optional<Account> {
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) return account_from(row);
      return std::nullopt;
    });
  }

  soci::session& session_;
  Dialect dialect_;
};

// ---------------------------------------------------------------------------------
// Lotteries

constexpr const char* kLotteryColumns =
    "SELECT id, title, status, claim_window_seconds, seed_hex, draw_cursor, "
    "lottery_us(created_at), lottery_us(drawn_at), fairness_version, entries_hash_hex, "
    "public_value, skipped_ordinals FROM lotteries ";

DrawSeed seed_from_hex(const std::string& hex) {
  const auto seed = parse_hex_digest(hex);
  if (!seed) corrupt("lottery seed");
  return *seed;
}

Lottery lottery_from(const soci::row& row) {
  Lottery lottery;
  lottery.id = LotteryId{integer(row, 0)};
  lottery.title = text(row, 1);
  lottery.status = must(parse_lottery_status(text(row, 2)), "lottery status");
  lottery.claim_window = std::chrono::seconds{integer(row, 3)};
  lottery.seed = seed_from_hex(text(row, 4));
  lottery.draw_cursor = static_cast<std::uint64_t>(integer(row, 5));
  lottery.created_at = instant(row, 6);
  lottery.drawn_at = optional_instant(row, 7);
  lottery.fairness_version = static_cast<int>(integer(row, 8));
  if (const std::string hash = text(row, 9); !hash.empty())
    lottery.entries_hash = seed_from_hex(hash);
  lottery.public_value = text(row, 10);
  const std::string skipped = text(row, 11);
  for (std::size_t start = 0; start < skipped.size();) {
    const std::size_t comma = std::min(skipped.find(',', start), skipped.size());
    std::uint64_t ordinal = 0;
    if (std::from_chars(skipped.data() + start, skipped.data() + comma, ordinal).ec !=
        std::errc{}) {
      corrupt("skipped ordinals");
    }
    lottery.skipped_ordinals.push_back(ordinal);
    start = comma + 1;
  }
  return lottery;
}

class SqlLotteries : public LotteryRepository {
 public:
  SqlLotteries(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  LotteryId insert(const Lottery& lottery) override {
    return guarded([&] {
      std::string title = lottery.title;
      std::string status(to_string(lottery.status));
      long long window = lottery.claim_window.count();
      std::string seed = to_hex(lottery.seed);
      long long cursor = static_cast<long long>(lottery.draw_cursor);
      long long created_at = micros(lottery.created_at);
      long long id = 0;
      int version = lottery.fairness_version;
      std::string hash = to_hex(lottery.entries_hash);
      session_ << "INSERT INTO lotteries (title, status, claim_window_seconds, seed_hex, "
                  "draw_cursor, created_at, fairness_version, entries_hash_hex) VALUES (:title, "
                  ":status, :window, :seed, :cursor, lottery_ts(:created_at), :version, :hash) "
                  "RETURNING id",
          use(title, "title"), use(status, "status"), use(window, "window"), use(seed, "seed"),
          use(cursor, "cursor"), use(created_at, "created_at"), use(version, "version"),
          use(hash, "hash"), into(id);
      int place = 0;
      std::string prize;
      soci::statement insert_prize =
          (session_.prepare << "INSERT INTO lottery_prizes (lottery_id, place, prize) "
                               "VALUES (:lottery, :place, :prize)",
           use(id, "lottery"), use(place, "place"), use(prize, "prize"));
      for (const Prize& each : lottery.prizes) {
        place = each.place;
        prize = each.text;
        insert_prize.execute(true);
      }
      return LotteryId{id};
    });
  }

  std::optional<Lottery> find(LotteryId id) override { return find_one(id, false); }

  std::optional<Lottery> find_for_update(LotteryId id) override { return find_one(id, true); }

  std::vector<Lottery> list() override {
    return guarded([&] {
      std::vector<Lottery> lotteries;
      Rows rows(session_, std::string(kLotteryColumns) + "ORDER BY created_at DESC, id DESC");
      for (const auto& row : rows) lotteries.push_back(lottery_from(row));
      // All prizes in one query, not one per lottery.
      std::map<std::int64_t, std::vector<Prize>> prizes;
      Rows prize_rows(session_,
                      "SELECT lottery_id, place, prize FROM lottery_prizes "
                      "ORDER BY lottery_id, place");
      for (const auto& row : prize_rows) {
        prizes[integer(row, 0)].push_back(Prize{static_cast<int>(integer(row, 1)), text(row, 2)});
      }
      for (Lottery& lottery : lotteries) lottery.prizes = std::move(prizes[lottery.id.value()]);
      return lotteries;
    });
  }

  bool mark_drawn(LotteryId id, Instant drawn_at, std::uint64_t cursor) override {
    return guarded([&] {
      long long key = id.value();
      long long at = micros(drawn_at);
      long long steps = static_cast<long long>(cursor);
      return changed(session_,
                     "UPDATE lotteries SET status = 'drawn', drawn_at = lottery_ts(:at), "
                     "draw_cursor = :cursor WHERE id = :id AND status = 'open'",
                     use(at, "at"), use(steps, "cursor"), use(key, "id"));
    });
  }

  void save_fairness(const Lottery& lottery) override {
    guarded([&] {
      long long key = lottery.id.value();
      int version = lottery.fairness_version;
      std::string hash = lottery.fairness_version >= 2 ? to_hex(lottery.entries_hash) : "";
      std::string public_value = lottery.public_value;
      std::string skipped;
      for (const std::uint64_t ordinal : lottery.skipped_ordinals) {
        if (!skipped.empty()) skipped.push_back(',');
        skipped += std::to_string(ordinal);
      }
      session_ << "UPDATE lotteries SET fairness_version = :version, entries_hash_hex = :hash, "
                  "public_value = :public, skipped_ordinals = :skipped WHERE id = :id",
          use(version, "version"), use(hash, "hash"), use(public_value, "public"),
          use(skipped, "skipped"), use(key, "id");
    });
  }

  void set_draw_cursor(LotteryId id, std::uint64_t cursor) override {
    guarded([&] {
      long long key = id.value();
      long long steps = static_cast<long long>(cursor);
      session_ << "UPDATE lotteries SET draw_cursor = :cursor WHERE id = :id", use(steps, "cursor"),
          use(key, "id");
    });
  }

  void set_status(LotteryId id, LotteryStatus status) override {
    guarded([&] {
      long long key = id.value();
      std::string value(to_string(status));
      session_ << "UPDATE lotteries SET status = :status WHERE id = :id", use(value, "status"),
          use(key, "id");
    });
  }

 private:
  std::optional<Lottery> find_one(LotteryId id, bool for_update) {
    return guarded([&]() -> std::optional<Lottery> {
      long long key = id.value();
      if (for_update && dialect_ == Dialect::kSqlite) {
        // SQLite locks the whole database for writing; take that lock now, as
        // PostgreSQL's FOR UPDATE takes the row's, so a concurrent draw waits here.
        session_ << "UPDATE lotteries SET id = id WHERE id = :id", use(key, "id");
      }
      const std::string sql = std::string(kLotteryColumns) + "WHERE id = :id" +
                              (for_update && dialect_ == Dialect::kPostgresql ? " FOR UPDATE" : "");
      std::optional<Lottery> lottery;
      Rows rows(session_, sql, use(key, "id"));
      for (const auto& row : rows) lottery = lottery_from(row);
      if (!lottery) return std::nullopt;
      Rows prize_rows(session_,
                      "SELECT place, prize FROM lottery_prizes WHERE lottery_id = :id "
                      "ORDER BY place",
                      use(key, "id"));
      for (const auto& row : prize_rows) {
        lottery->prizes.push_back(Prize{static_cast<int>(integer(row, 0)), text(row, 1)});
      }
      return lottery;
    });
  }

  soci::session& session_;
  Dialect dialect_;
};

// ---------------------------------------------------------------------------------
// Entries

// An entry with its account's current state, as kEntryColumns select it.
constexpr std::string_view kEntryColumns =
    "SELECT p.ordinal, a.id, a.account_number, a.owner_id, lottery_flag(a.is_active) "
    "FROM participations p JOIN accounts a ON a.id = p.account_id ";

Entry entry_from(const soci::row& row, LotteryId lottery) {
  std::optional<UserId> owner;
  if (const auto id = optional_integer(row, 3)) owner = UserId{*id};
  return Entry{lottery,
               static_cast<std::uint64_t>(integer(row, 0)),
               AccountId{integer(row, 1)},
               must(AccountNumber::parse(text(row, 2)), "account number"),
               owner,
               integer(row, 4) != 0};
}

class SqlEntries : public EntryRepository {
 public:
  SqlEntries(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  bool add(LotteryId lottery, AccountId account) override {
    return guarded([&] {
      long long lottery_id = lottery.value();
      long long lottery_again = lottery.value();
      long long account_id = account.value();
      soci::statement statement =
          (session_.prepare
               << "INSERT INTO participations (lottery_id, account_id, ordinal) "
                  "SELECT :lottery, :account, COALESCE(MAX(ordinal) + 1, 0) FROM participations "
                  "WHERE lottery_id = :lottery_again "
                  "ON CONFLICT (lottery_id, account_id) DO NOTHING",
           use(lottery_id, "lottery"), use(account_id, "account"),
           use(lottery_again, "lottery_again"));
      statement.execute(true);
      return statement.get_affected_rows() == 1;
    });
  }

  std::uint64_t add_all_active(LotteryId lottery) override {
    return guarded([&] { return enrol_from(lottery, "accounts a", "a.id"); });
  }

  std::uint64_t add_numbers(LotteryId lottery, std::span<const AccountNumber> numbers) override {
    if (numbers.empty()) return 0;
    return guarded([&] {
      std::vector<StagedRow> staged;
      staged.reserve(numbers.size());
      for (std::size_t position = 0; position < numbers.size(); ++position) {
        staged.push_back(
            StagedRow{static_cast<std::int64_t>(position), numbers[position].str(), std::nullopt});
      }
      const StagingTable staging(session_, dialect_, staged);
      return enrol_from(lottery,
                        "lottery_staging s JOIN accounts a ON a.account_number = s.account_number",
                        "s.position");
    });
  }

  // Enrols the active accounts `from` names `a`, not enrolled yet, with the next
  // ordinals in the order of `order`, in one statement; returns how many.
  std::uint64_t enrol_from(LotteryId lottery, const std::string& from, const std::string& order) {
    long long lottery_id = lottery.value();
    long long for_base = lottery.value();
    long long for_exists = lottery.value();
    return static_cast<std::uint64_t>(execute_once(
        session_,
        "INSERT INTO participations (lottery_id, account_id, ordinal) "
        "SELECT :lottery, a.id, base.next + row_number() OVER (ORDER BY " +
            order + ") - 1 FROM " + from +
            " CROSS JOIN (SELECT COALESCE(MAX(ordinal) + 1, 0) AS next "
            "FROM participations WHERE lottery_id = :for_base) base "
            "WHERE a.is_active = TRUE AND NOT EXISTS (SELECT 1 FROM "
            "participations p WHERE p.lottery_id = :for_exists AND "
            "p.account_id = a.id)",
        use(lottery_id, "lottery"), use(for_base, "for_base"), use(for_exists, "for_exists")));
  }

  std::uint64_t count(LotteryId lottery) override {
    return guarded([&] {
      long long key = lottery.value();
      long long count = 0;
      // Ordinals are 0..n-1 without gaps: the highest one, read from the end of the
      // (lottery_id, ordinal) index, gives the count in O(log n) where count(*) is O(n).
      session_ << "SELECT COALESCE(MAX(ordinal) + 1, 0) FROM participations "
                  "WHERE lottery_id = :lottery",
          use(key, "lottery"), into(count);
      return static_cast<std::uint64_t>(count);
    });
  }

  std::vector<Entry> range(LotteryId lottery, std::uint64_t from, std::uint64_t to) override {
    return guarded([&] {
      long long key = lottery.value();
      long long first = static_cast<long long>(from);
      long long end = static_cast<long long>(to);
      std::vector<Entry> entries;
      Rows rows(session_,
                std::string(kEntryColumns) +
                    "WHERE p.lottery_id = :lottery AND p.ordinal >= :first "
                    "AND p.ordinal < :end ORDER BY p.ordinal",
                use(key, "lottery"), use(first, "first"), use(end, "end"));
      for (const auto& row : rows) entries.push_back(entry_from(row, lottery));
      return entries;
    });
  }

  std::vector<Entry> at(LotteryId lottery, std::span<const std::uint64_t> ordinals) override {
    if (ordinals.empty()) return {};
    return guarded([&] {
      long long key = lottery.value();
      // The ordinals travel as one JSON array parameter: one query, no SQL built from data.
      std::string list = "[";
      for (std::size_t i = 0; i < ordinals.size(); ++i) {
        if (i > 0) list.push_back(',');
        list += std::to_string(ordinals[i]);
      }
      list.push_back(']');
      const char* wanted = dialect_ == Dialect::kPostgresql
                               ? "(SELECT CAST(value AS BIGINT) FROM "
                                 "json_array_elements_text(CAST(:ordinals AS json)))"
                               : "(SELECT value FROM json_each(:ordinals))";
      std::map<std::uint64_t, Entry> found;
      Rows rows(
          session_,
          std::string(kEntryColumns) + "WHERE p.lottery_id = :lottery AND p.ordinal IN " + wanted,
          use(key, "lottery"), use(list, "ordinals"));
      for (const auto& row : rows) {
        Entry entry = entry_from(row, lottery);
        const std::uint64_t ordinal = entry.ordinal;
        found.emplace(ordinal, std::move(entry));
      }
      std::vector<Entry> entries;
      entries.reserve(ordinals.size());
      for (const std::uint64_t ordinal : ordinals) {
        const auto entry = found.find(ordinal);
        if (entry == found.end()) corrupt("no entry at ordinal " + std::to_string(ordinal));
        entries.push_back(entry->second);
      }
      return entries;
    });
  }

  bool contains(LotteryId lottery, AccountId account) override {
    return guarded([&] {
      long long lottery_id = lottery.value();
      long long account_id = account.value();
      long long count = 0;
      session_ << "SELECT count(*) FROM participations WHERE lottery_id = :lottery "
                  "AND account_id = :account",
          use(lottery_id, "lottery"), use(account_id, "account"), into(count);
      return count > 0;
    });
  }

 private:
  soci::session& session_;
  Dialect dialect_;
};

// ---------------------------------------------------------------------------------
// Winners

constexpr const char* kWinnerColumns =
    "SELECT id, lottery_id, place, prize, account_id, account_number, user_id, round, "
    "draw_step, status, lottery_us(claimed_at), claimed_how, lottery_us(deadline), "
    "lottery_us(remind_at), lottery_flag(reminded), lottery_us(created_at), "
    "lottery_us(prize_given_at) FROM winners ";

Winner winner_from(const soci::row& row) {
  std::optional<UserId> user;
  if (const auto id = optional_integer(row, 6)) user = UserId{*id};
  std::optional<ClaimMethod> how;
  if (const auto method = optional_text(row, 11)) how = must(parse_claim_method(*method), "method");
  return Winner{.id = WinnerId{integer(row, 0)},
                .lottery = LotteryId{integer(row, 1)},
                .place = static_cast<int>(integer(row, 2)),
                .prize = text(row, 3),
                .account = AccountId{integer(row, 4)},
                .account_number = must(AccountNumber::parse(text(row, 5)), "account number"),
                .user = user,
                .round = static_cast<int>(integer(row, 7)),
                .draw_step = static_cast<std::uint64_t>(integer(row, 8)),
                .status = must(parse_win_status(text(row, 9)), "win status"),
                .claimed_at = optional_instant(row, 10),
                .claimed_how = how,
                .deadline = instant(row, 12),
                .remind_at = instant(row, 13),
                .reminded = integer(row, 14) != 0,
                .created_at = instant(row, 15),
                .prize_given_at = optional_instant(row, 16)};
}

class SqlWinners : public WinnerRepository {
 public:
  explicit SqlWinners(soci::session& session) : session_(session) {}

  WinnerId insert(const Winner& winner, const WinnerVerification& verification) override {
    return guarded([&] {
      long long lottery = winner.lottery.value();
      int place = winner.place;
      std::string prize = winner.prize;
      long long account = winner.account.value();
      std::string number = winner.account_number.str();
      Nullable<long long> user;
      if (winner.user) user = {winner.user->value(), soci::i_ok};
      int round = winner.round;
      long long step = static_cast<long long>(winner.draw_step);
      std::string status(to_string(winner.status));
      long long deadline = micros(winner.deadline);
      long long remind_at = micros(winner.remind_at);
      int reminded = winner.reminded ? 1 : 0;
      long long created_at = micros(winner.created_at);
      int claimed = winner.is_claimed() ? 1 : 0;
      long long id = 0;
      session_ << "INSERT INTO winners (lottery_id, place, prize, account_id, account_number, "
                  "user_id, round, draw_step, status, is_claimed, deadline, remind_at, reminded, "
                  "created_at) VALUES (:lottery, :place, :prize, :account, :number, :user, "
                  ":round, :step, :status, :claimed, lottery_ts(:deadline), "
                  "lottery_ts(:remind_at), :reminded, lottery_ts(:created_at)) RETURNING id",
          use(lottery, "lottery"), use(place, "place"), use(prize, "prize"),
          use(account, "account"), use(number, "number"), use(user.value, user.indicator, "user"),
          use(round, "round"), use(step, "step"), use(status, "status"), use(claimed, "claimed"),
          use(deadline, "deadline"), use(remind_at, "remind_at"), use(reminded, "reminded"),
          use(created_at, "created_at"), into(id);
      std::string token = verification.token;
      int verified = verification.is_verified ? 1 : 0;
      long long expires_at = micros(verification.expires_at);
      session_ << "INSERT INTO winner_verifications (winner_id, verification_token, is_verified, "
                  "expires_at) VALUES (:winner, :token, :verified, lottery_ts(:expires_at))",
          use(id, "winner"), use(token, "token"), use(verified, "verified"),
          use(expires_at, "expires_at");
      return WinnerId{id};
    });
  }

  std::optional<Winner> find(WinnerId id) override {
    long long key = id.value();
    auto found = select(std::string(kWinnerColumns) + "WHERE id = :key", key);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::optional<WinnerVerification> verification(WinnerId id) override {
    return guarded([&]() -> std::optional<WinnerVerification> {
      long long key = id.value();
      Rows rows(session_,
                "SELECT winner_id, verification_token, lottery_flag(is_verified), "
                "lottery_us(expires_at), lottery_us(verified_at), verified_by "
                "FROM winner_verifications WHERE winner_id = :key",
                use(key, "key"));
      for (const auto& row : rows) {
        std::optional<TelegramUserId> by;
        if (const auto admin = optional_integer(row, 5)) by = TelegramUserId{*admin};
        return WinnerVerification{WinnerId{integer(row, 0)}, text(row, 1),
                                  integer(row, 2) != 0,      instant(row, 3),
                                  optional_instant(row, 4),  by};
      }
      return std::nullopt;
    });
  }

  std::vector<Winner> list_by_lottery(LotteryId lottery) override {
    long long key = lottery.value();
    return select(std::string(kWinnerColumns) + "WHERE lottery_id = :key ORDER BY place, round",
                  key);
  }

  std::vector<Winner> list_by_user(UserId user) override {
    long long key = user.value();
    return select(
        std::string(kWinnerColumns) + "WHERE user_id = :key ORDER BY created_at DESC, id DESC",
        key);
  }

  std::vector<Winner> pending_by_account(AccountId account) override {
    long long key = account.value();
    return select(
        std::string(kWinnerColumns) + "WHERE account_id = :key AND status = 'pending' ORDER BY id",
        key);
  }

  std::vector<AccountId> winning_accounts(LotteryId lottery) override {
    return guarded([&] {
      long long key = lottery.value();
      std::vector<AccountId> accounts;
      Rows rows(session_,
                "SELECT DISTINCT account_id FROM winners WHERE lottery_id = :key "
                "ORDER BY account_id",
                use(key, "key"));
      for (const auto& row : rows) accounts.emplace_back(integer(row, 0));
      return accounts;
    });
  }

  std::vector<Winner> due_for_expiry(Instant now, std::size_t limit) override {
    return guarded([&] {
      long long at = micros(now);
      long long most = static_cast<long long>(limit);
      std::vector<Winner> winners;
      Rows rows(session_,
                std::string(kWinnerColumns) +
                    "WHERE status = 'pending' AND deadline <= lottery_ts(:now) "
                    "ORDER BY deadline, id LIMIT :most",
                use(at, "now"), use(most, "most"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  std::vector<Winner> due_for_reminder(Instant now, std::size_t limit) override {
    return guarded([&] {
      long long at = micros(now);
      long long again = micros(now);
      long long most = static_cast<long long>(limit);
      std::vector<Winner> winners;
      Rows rows(session_,
                std::string(kWinnerColumns) +
                    "WHERE status = 'pending' AND reminded = FALSE "
                    "AND remind_at <= lottery_ts(:now) "
                    "AND deadline > lottery_ts(:again) "
                    "ORDER BY remind_at, id LIMIT :most",
                use(at, "now"), use(again, "again"), use(most, "most"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  bool claim(WinnerId id, Instant now, ClaimMethod how,
             std::optional<TelegramUserId> admin) override {
    return guarded([&] {
      long long key = id.value();
      long long at = micros(now);
      long long before = micros(now);
      std::string method(to_string(how));
      if (!changed(session_,
                   "UPDATE winners SET status = 'claimed', is_claimed = TRUE, "
                   "claimed_at = lottery_ts(:at), claimed_how = :how "
                   "WHERE id = :id AND status = 'pending' "
                   "AND deadline > lottery_ts(:before)",
                   use(at, "at"), use(method, "how"), use(key, "id"), use(before, "before"))) {
        return false;
      }
      Nullable<long long> by;
      if (admin) by = {admin->value(), soci::i_ok};
      session_ << "UPDATE winner_verifications SET is_verified = TRUE, "
                  "verified_at = lottery_ts(:at), verified_by = :by WHERE winner_id = :id",
          use(at, "at"), use(by.value, by.indicator, "by"), use(key, "id");
      return true;
    });
  }

  bool expire(WinnerId id, Instant now) override {
    return guarded([&] {
      long long key = id.value();
      long long at = micros(now);
      return changed(session_,
                     "UPDATE winners SET status = 'expired' WHERE id = :id "
                     "AND status = 'pending' AND deadline <= lottery_ts(:at)",
                     use(key, "id"), use(at, "at"));
    });
  }

  bool mark_redrawn(WinnerId id) override {
    return guarded([&] {
      long long key = id.value();
      return changed(session_,
                     "UPDATE winners SET status = 'redrawn' WHERE id = :id "
                     "AND status = 'expired'",
                     use(key, "id"));
    });
  }

  bool extend(WinnerId id, Instant deadline, Instant remind_at) override {
    return guarded([&] {
      long long key = id.value();
      long long until = micros(deadline);
      long long remind = micros(remind_at);
      if (!changed(session_,
                   "UPDATE winners SET status = 'pending', "
                   "deadline = lottery_ts(:until), "
                   "remind_at = lottery_ts(:remind), reminded = FALSE "
                   "WHERE id = :id AND status IN ('pending', 'expired')",
                   use(until, "until"), use(remind, "remind"), use(key, "id"))) {
        return false;
      }
      session_ << "UPDATE winner_verifications SET expires_at = lottery_ts(:until) "
                  "WHERE winner_id = :id",
          use(until, "until"), use(key, "id");
      return true;
    });
  }

  bool mark_reminded(WinnerId id) override {
    return guarded([&] {
      long long key = id.value();
      return changed(session_,
                     "UPDATE winners SET reminded = TRUE WHERE id = :id "
                     "AND status = 'pending' AND reminded = FALSE",
                     use(key, "id"));
    });
  }

  bool mark_prize_given(WinnerId id, Instant at) override {
    return guarded([&] {
      long long key = id.value();
      long long when = micros(at);
      return changed(session_,
                     "UPDATE winners SET prize_given_at = lottery_ts(:at) "
                     "WHERE id = :id AND status = 'claimed' "
                     "AND prize_given_at IS NULL",
                     use(when, "at"), use(key, "id"));
    });
  }

  void set_user(WinnerId id, UserId user) override {
    guarded([&] {
      long long key = id.value();
      long long owner = user.value();
      session_ << "UPDATE winners SET user_id = :user WHERE id = :id", use(owner, "user"),
          use(key, "id");
    });
  }

 private:
  // Runs a conditional change; true when it touched exactly one row.
  std::vector<Winner> select(const std::string& sql, long long& key) {
    return guarded([&] {
      std::vector<Winner> winners;
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  soci::session& session_;
};

// ---------------------------------------------------------------------------------
// Reports

class SqlReports : public ReportQueries {
 public:
  explicit SqlReports(soci::session& session) : session_(session) {}

  std::vector<WinnersByCardRow> winners_by_card() override {
    return guarded([&] {
      std::vector<WinnersByCardRow> report;
      Rows rows(session_,
                "SELECT u.club_card_number, u.first_name, count(w.id), "
                "count(CASE WHEN w.status = 'claimed' THEN 1 END) "
                "FROM users u JOIN winners w ON w.user_id = u.id "
                "WHERE u.club_card_number IS NOT NULL "
                "GROUP BY u.id, u.club_card_number, u.first_name ORDER BY u.club_card_number");
      for (const auto& row : rows) {
        report.push_back(WinnersByCardRow{must(ClubCard::from_storage(text(row, 0)), "card"),
                                          text(row, 1), integer(row, 2), integer(row, 3)});
      }
      return report;
    });
  }

  std::vector<TopAccountRow> top_accounts(std::size_t limit) override {
    return guarded([&] {
      long long most = static_cast<long long>(limit);
      std::vector<TopAccountRow> report;
      Rows rows(session_,
                "SELECT a.account_number, u.club_card_number, count(*) AS entries "
                "FROM participations p JOIN accounts a ON a.id = p.account_id "
                "LEFT JOIN users u ON u.id = a.owner_id "
                "GROUP BY a.id, a.account_number, u.club_card_number "
                "ORDER BY entries DESC, a.account_number LIMIT :most",
                use(most, "most"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, 1))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(TopAccountRow{must(AccountNumber::parse(text(row, 0)), "account number"),
                                       card, integer(row, 2)});
      }
      return report;
    });
  }

  std::vector<UnclaimedRow> unclaimed_past_window(Instant now) override {
    return guarded([&] {
      long long at = micros(now);
      std::vector<UnclaimedRow> report;
      Rows rows(session_,
                "SELECT l.id, l.title, w.id, w.place, w.prize, w.account_number, "
                "u.club_card_number, lottery_us(w.created_at) "
                "FROM winners w JOIN lotteries l ON l.id = w.lottery_id "
                "LEFT JOIN users u ON u.id = w.user_id "
                "WHERE w.status IN ('pending', 'expired') "
                "AND lottery_us(w.created_at) + l.claim_window_seconds * 1000000 < :now "
                "ORDER BY w.created_at, w.id",
                use(at, "now"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, 6))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(UnclaimedRow{
            LotteryId{integer(row, 0)}, text(row, 1), WinnerId{integer(row, 2)},
            static_cast<int>(integer(row, 3)), text(row, 4),
            must(AccountNumber::parse(text(row, 5)), "account number"), card, instant(row, 7)});
      }
      return report;
    });
  }

 private:
  soci::session& session_;
};

// ---------------------------------------------------------------------------------
// Outbox and audit

// When an outbox row is due for `:sender` at `:now` (bound twice, as :now and :lease_now):
// unfinished, not postponed, not leased to another sender, first unfinished of its chat.
constexpr std::string_view kDue =
    "sent_at IS NULL AND failed_at IS NULL "
    "AND (next_attempt_at IS NULL OR next_attempt_at <= lottery_ts(:now)) "
    "AND (leased_until IS NULL OR leased_until <= lottery_ts(:lease_now) "
    "OR leased_by = :sender) "
    // The first unfinished message of its chat. A correlated subquery rather than NOT
    // EXISTS: it always probes the (chat_id, id) index, while the anti-join, planned with
    // the stale statistics of a queue that grew fast, scanned the index for every row
    // (1.9 s instead of 1 ms with 17,000 messages waiting).
    "AND outbox.id = (SELECT min(earlier.id) FROM outbox earlier "
    "WHERE earlier.chat_id = outbox.chat_id AND earlier.sent_at IS NULL "
    "AND earlier.failed_at IS NULL)";

// Replies and messages to admins, sent first; the same list as outbox_due_reply_idx.
constexpr std::string_view kReplyKinds =
    "kind IN ('reply', 'reply_edit', 'draw_progress', 'winners_export', 'admin_win_confirmed', "
    "'admin_wins_expired', 'admin_drawn', 'admin_redrawn', 'admin_undeliverable')";

// A notification's columns, as notification_from reads them.
constexpr std::string_view kNotificationColumns =
    "SELECT id, chat_id, kind, lottery_id, lottery_title, winner_id, place, prize, "
    "account_number, lottery_us(deadline), count, detail, text, markup, reference, "
    "lottery_us(created_at), attempts, parts_sent, parts_digest";
constexpr std::string_view kFromOutboxWhere = " FROM outbox WHERE ";

Notification notification_from(const soci::row& row) {
  Notification notification;
  notification.id = NotificationId{integer(row, 0)};
  notification.chat = ChatId{integer(row, 1)};
  notification.kind = must(parse_notification_kind(text(row, 2)), "notification kind");
  if (const auto lottery = optional_integer(row, 3)) notification.lottery = LotteryId{*lottery};
  notification.lottery_title = text(row, 4);
  if (const auto winner = optional_integer(row, 5)) notification.winner = WinnerId{*winner};
  notification.place = static_cast<int>(integer(row, 6));
  notification.prize = text(row, 7);
  if (const auto account = optional_text(row, 8)) {
    notification.account = must(AccountNumber::parse(*account), "account number");
  }
  notification.deadline = optional_instant(row, 9);
  notification.count = integer(row, 10);
  notification.detail = text(row, 11);
  notification.text = text(row, 12);
  notification.markup = text(row, 13);
  notification.reference = integer(row, 14);
  notification.created_at = instant(row, 15);
  notification.attempts = static_cast<int>(integer(row, 16));
  notification.parts_sent = static_cast<int>(integer(row, 17));
  notification.parts_digest = integer(row, 18);
  return notification;
}

// The sender asks for due messages many times a second, and PostgreSQL takes ten times
// longer to plan that query than to run it (0.3-0.8 ms against 0.02-0.09): each
// connection PREPAREs it once and EXECUTEs it with the values written in (EXECUTE
// takes no bound parameters).
constexpr const char* kDueReplies = "lottery_due_replies";
constexpr const char* kDueRest = "lottery_due_rest";

std::string quoted_literal(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + "'";
}

// The due queries prepared, by connection and server process: a reconnection is a new
// connection (and a new server process), so it prepares them again.
using PreparedStatement = std::tuple<const void*, int, const char*>;
std::mutex prepared_mutex;
std::set<PreparedStatement> prepared_statements;

class SqlOutbox : public Outbox {
 public:
  SqlOutbox(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  // PREPARE outlives the transaction it ran in: it belongs to the connection. Each
  // statement is recorded on its own, so one that failed is prepared again alone.
  PreparedStatement prepare_due_query(bool replies) {
    const char* name = replies ? kDueReplies : kDueRest;
    auto* backend = static_cast<soci::postgresql_session_backend*>(session_.get_backend());
    const PreparedStatement key{backend->conn_, PQbackendPID(backend->conn_), name};
    {
      const std::lock_guard lock(prepared_mutex);
      if (prepared_statements.contains(key)) return key;
    }
    std::string due(kDue);
    for (const auto& [bind, parameter] :
         {std::pair{":lease_now", "$2"}, {":now", "$1"}, {":sender", "$3"}}) {
      for (auto at = due.find(bind); at != std::string::npos; at = due.find(bind)) {
        due.replace(at, std::string_view(bind).size(), parameter);
      }
    }
    session_ << "PREPARE " + std::string(name) + " (bigint, bigint, text, bigint[], bigint) AS " +
                    std::string(kNotificationColumns) + std::string(kFromOutboxWhere) + due +
                    " AND chat_id <> ALL ($4)" + (replies ? " AND " : " AND NOT ") +
                    std::string(kReplyKinds) + " ORDER BY id LIMIT $5";
    const std::lock_guard lock(prepared_mutex);
    prepared_statements.insert(key);
    return key;
  }

  NotificationId enqueue(const Notification& notification) override {
    return guarded([&] {
      long long chat = notification.chat.value();
      std::string kind(to_string(notification.kind));
      Nullable<long long> lottery;
      if (notification.lottery) lottery = {notification.lottery->value(), soci::i_ok};
      std::string title = notification.lottery_title;
      Nullable<long long> winner;
      if (notification.winner) winner = {notification.winner->value(), soci::i_ok};
      int place = notification.place;
      std::string prize = notification.prize;
      Nullable<std::string> account;
      if (notification.account) account = {notification.account->str(), soci::i_ok};
      Nullable<long long> deadline;
      if (notification.deadline) deadline = {micros(*notification.deadline), soci::i_ok};
      long long count = notification.count;
      std::string detail = notification.detail;
      std::string text = notification.text;
      std::string markup = notification.markup;
      long long reference = notification.reference;
      long long created_at = micros(notification.created_at);
      long long id = 0;
      session_ << "INSERT INTO outbox (chat_id, kind, lottery_id, lottery_title, winner_id, "
                  "place, prize, account_number, deadline, count, detail, text, markup, "
                  "reference, created_at) VALUES (:chat, :kind, :lottery, :title, :winner, "
                  ":place, :prize, :account, lottery_ts(:deadline), :count, :detail, :text, "
                  ":markup, :reference, lottery_ts(:created_at)) RETURNING id",
          use(chat, "chat"), use(kind, "kind"), use(lottery.value, lottery.indicator, "lottery"),
          use(title, "title"), use(winner.value, winner.indicator, "winner"), use(place, "place"),
          use(prize, "prize"), use(account.value, account.indicator, "account"),
          use(deadline.value, deadline.indicator, "deadline"), use(count, "count"),
          use(detail, "detail"), use(text, "text"), use(markup, "markup"),
          use(reference, "reference"), use(created_at, "created_at"), into(id);
      return NotificationId{id};
    });
  }

  std::vector<Notification> pending(std::size_t limit, Instant now, const std::string& sender,
                                    std::span<const ChatId> skip) override {
    // Replies first (each query walks its own partial index of due rows).
    auto due = due_of(limit, now, sender, skip, true);
    if (due.size() < limit) {
      auto notifications = due_of(limit - due.size(), now, sender, skip, false);
      due.insert(due.end(), std::make_move_iterator(notifications.begin()),
                 std::make_move_iterator(notifications.end()));
    }
    return due;
  }

  std::vector<Notification> due_of(std::size_t limit, Instant now, const std::string& sender,
                                   std::span<const ChatId> skip, bool replies) {
    return guarded([&] {
      long long most = static_cast<long long>(limit);
      long long at = micros(now);
      long long lease_at = at;
      std::string by = sender;
      // Chat ids are integers: written into the statement, nothing to escape.
      std::string skipped;
      for (const ChatId chat : skip) {
        skipped += (skipped.empty() ? "" : ",") + std::to_string(chat.value());
      }
      std::vector<Notification> notifications;
      const auto read = [&](Rows& rows) {
        for (const auto& row : rows) notifications.push_back(notification_from(row));
      };
      if (dialect_ == Dialect::kPostgresql) {
        const auto prepared = prepare_due_query(replies);
        try {
          Rows rows(session_, "EXECUTE " + std::string(replies ? kDueReplies : kDueRest) + "(" +
                                  std::to_string(at) + ", " + std::to_string(lease_at) + ", " +
                                  quoted_literal(by) + ", '{" + skipped + "}', " +
                                  std::to_string(most) + ")");
          read(rows);
        } catch (const soci::postgresql_soci_error& error) {
          // Not prepared after all (a server that lost it): prepared again next time.
          if (error.sqlstate() == "26000") {
            const std::lock_guard lock(prepared_mutex);
            prepared_statements.erase(prepared);
          }
          throw;
        }
        return notifications;
      }
      const std::string except = (skipped.empty() ? "" : " AND chat_id NOT IN (" + skipped + ")") +
                                 std::string(replies ? " AND " : " AND NOT ") +
                                 std::string(kReplyKinds);
      Rows rows(session_,
                std::string(kNotificationColumns) + std::string(kFromOutboxWhere) +
                    std::string(kDue) + except + " ORDER BY id LIMIT :most",
                use(at, "now"), use(lease_at, "lease_now"), use(by, "sender"), use(most, "most"));
      read(rows);
      return notifications;
    });
  }

  bool lease(NotificationId id, Instant now, const std::string& sender, Instant until) override {
    return guarded([&] {
      long long key = id.value();
      long long at = micros(now);
      long long lease_at = at;
      long long end = micros(until);
      std::string by = sender;
      std::string holder = sender;
      return changed(session_,
                     "UPDATE outbox SET leased_by = :holder, "
                     "leased_until = lottery_ts(:until) WHERE id = :id AND " +
                         std::string(kDue),
                     use(holder, "holder"), use(end, "until"), use(key, "id"), use(at, "now"),
                     use(lease_at, "lease_now"), use(by, "sender"));
    });
  }

  void release_leases(const std::string& sender) override {
    guarded([&] {
      std::string by = sender;
      session_ << "UPDATE outbox SET leased_by = NULL, leased_until = NULL "
                  "WHERE leased_by = :sender AND sent_at IS NULL AND failed_at IS NULL",
          use(by, "sender");
    });
  }

  void mark_sent(NotificationId id, Instant at, std::optional<std::int64_t> message_id) override {
    guarded([&] {
      long long key = id.value();
      long long when = micros(at);
      auto message = nullable<long long>(message_id);
      session_ << "UPDATE outbox SET sent_at = lottery_ts(:at), "
                  "telegram_message_id = COALESCE(:message, telegram_message_id), "
                  "leased_by = NULL, leased_until = NULL WHERE id = :id",
          use(when, "at"), use(message.value, message.indicator, "message"), use(key, "id");
    });
  }

  void mark_parts_sent(NotificationId id, int parts, std::optional<std::int64_t> first_message_id,
                       std::int64_t digest) override {
    guarded([&] {
      long long key = id.value();
      int sent = parts;
      long long what = digest;
      auto message = nullable<long long>(first_message_id);
      session_ << "UPDATE outbox SET parts_sent = :parts, parts_digest = :digest, "
                  "telegram_message_id = COALESCE(:message, telegram_message_id) WHERE id = :id",
          use(sent, "parts"), use(what, "digest"), use(message.value, message.indicator, "message"),
          use(key, "id");
    });
  }

  void mark_failed(NotificationId id, Instant at, const std::string& reason) override {
    guarded([&] {
      long long key = id.value();
      long long when = micros(at);
      std::string why = reason;
      session_
          << "UPDATE outbox SET failed_at = lottery_ts(:at), failure = :why, leased_by = NULL, "
             "leased_until = NULL WHERE id = :id",
          use(when, "at"), use(why, "why"), use(key, "id");
    });
  }

  std::size_t fail_replies(ChatId chat, Instant at, const std::string& reason) override {
    return guarded([&] {
      long long chat_id = chat.value();
      long long when = micros(at);
      std::string why = reason;
      soci::statement statement =
          (session_.prepare
               << "UPDATE outbox SET failed_at = lottery_ts(:at), failure = :why, "
                  "leased_by = NULL, leased_until = NULL WHERE chat_id = :chat "
                  "AND kind IN ('reply', 'reply_edit') AND sent_at IS NULL AND failed_at IS NULL",
           use(when, "at"), use(why, "why"), use(chat_id, "chat"));
      statement.execute(true);
      return static_cast<std::size_t>(statement.get_affected_rows());
    });
  }

  bool warned_about(ChatId chat, Instant since) override {
    return guarded([&] {
      long long chat_id = chat.value();
      long long from = micros(since);
      long long count = 0;
      // The partial index of migration 012 holds only these warnings.
      session_ << "SELECT count(*) FROM outbox WHERE kind = 'admin_undeliverable' "
                  "AND count = :chat AND created_at >= lottery_ts(:since)",
          use(chat_id, "chat"), use(from, "since"), into(count);
      return count > 0;
    });
  }

  void postpone(NotificationId id, Instant until) override {
    guarded([&] {
      long long key = id.value();
      long long when = micros(until);
      session_ << "UPDATE outbox SET next_attempt_at = lottery_ts(:until), "
                  "attempts = attempts + 1, leased_by = NULL, leased_until = NULL WHERE id = :id",
          use(when, "until"), use(key, "id");
    });
  }

  std::optional<std::int64_t> sent_message(LotteryId lottery, NotificationKind kind) override {
    return guarded([&]() -> std::optional<std::int64_t> {
      long long key = lottery.value();
      std::string name(to_string(kind));
      Rows rows(session_,
                "SELECT telegram_message_id FROM outbox WHERE lottery_id = :lottery "
                "AND kind = :kind AND telegram_message_id IS NOT NULL "
                "ORDER BY id DESC LIMIT 1",
                use(key, "lottery"), use(name, "kind"));
      for (const auto& row : rows) return integer(row, 0);
      return std::nullopt;
    });
  }

  DeliveryProgress progress(LotteryId lottery, NotificationKind kind) override {
    return guarded([&] {
      long long key = lottery.value();
      std::string name(to_string(kind));
      long long total = 0;
      long long sent = 0;
      long long failed = 0;
      session_ << "SELECT count(*), count(sent_at), count(failed_at) FROM outbox "
                  "WHERE lottery_id = :lottery AND kind = :kind",
          use(key, "lottery"), use(name, "kind"), into(total), into(sent), into(failed);
      return DeliveryProgress{static_cast<std::uint64_t>(total), static_cast<std::uint64_t>(sent),
                              static_cast<std::uint64_t>(failed)};
    });
  }

  std::vector<SentNotification> unfinished_progress_posts(Instant since) override {
    return guarded([&] {
      long long from = micros(since);
      std::vector<SentNotification> posts;
      Rows rows(session_,
                std::string(kNotificationColumns) + ", telegram_message_id" +
                    std::string(kFromOutboxWhere) +
                    "kind = 'draw_progress' AND telegram_message_id IS NOT NULL "
                    "AND created_at >= lottery_ts(:since) AND EXISTS ("
                    "SELECT 1 FROM outbox winner WHERE winner.lottery_id = outbox.lottery_id "
                    "AND winner.kind = 'winner_drawn' AND winner.sent_at IS NULL "
                    "AND winner.failed_at IS NULL) ORDER BY id",
                use(from, "since"));
      for (const auto& row : rows) {
        posts.push_back(SentNotification{notification_from(row), integer(row, 19)});
      }
      return posts;
    });
  }

 private:
  soci::session& session_;
  Dialect dialect_;
};

class SqlDialogues : public DialogueRepository {
 public:
  explicit SqlDialogues(soci::session& session) : session_(session) {}

  std::optional<Dialogue> find(ChatId chat, TelegramUserId user) override {
    return guarded([&]() -> std::optional<Dialogue> {
      long long chat_id = chat.value();
      long long user_id = user.value();
      Rows rows(session_,
                "SELECT name, step, data, lottery_us(updated_at) FROM dialogues "
                "WHERE chat_id = :chat AND user_id = :user",
                use(chat_id, "chat"), use(user_id, "user"));
      for (const auto& row : rows) {
        return Dialogue{chat, user, text(row, 0), text(row, 1), text(row, 2), instant(row, 3)};
      }
      return std::nullopt;
    });
  }

  void save(const Dialogue& dialogue) override {
    guarded([&] {
      long long chat_id = dialogue.chat.value();
      long long user_id = dialogue.user.value();
      std::string name = dialogue.name;
      std::string step = dialogue.step;
      std::string data = dialogue.data;
      long long updated_at = micros(dialogue.updated_at);
      session_ << "INSERT INTO dialogues (chat_id, user_id, name, step, data, updated_at) "
                  "VALUES (:chat, :user, :name, :step, :data, lottery_ts(:updated_at)) "
                  "ON CONFLICT (chat_id, user_id) DO UPDATE SET name = excluded.name, "
                  "step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
          use(chat_id, "chat"), use(user_id, "user"), use(name, "name"), use(step, "step"),
          use(data, "data"), use(updated_at, "updated_at");
    });
  }

  void remove(ChatId chat, TelegramUserId user) override {
    guarded([&] {
      long long chat_id = chat.value();
      long long user_id = user.value();
      session_ << "DELETE FROM dialogues WHERE chat_id = :chat AND user_id = :user",
          use(chat_id, "chat"), use(user_id, "user");
    });
  }

 private:
  soci::session& session_;
};

class SqlUpdates : public ProcessedUpdates {
 public:
  explicit SqlUpdates(soci::session& session) : session_(session) {}

  // One statement for the check and the record: on PostgreSQL a concurrent claim of
  // the same update waits on the key, then finds it taken.
  bool claim(std::int64_t update_id, Instant at) override {
    return guarded([&] {
      long long key = update_id;
      long long when = micros(at);
      return changed(session_,
                     "INSERT INTO processed_updates (update_id, processed_at) "
                     "VALUES (:id, lottery_ts(:at)) ON CONFLICT (update_id) DO NOTHING",
                     use(key, "id"), use(when, "at"));
    });
  }

  void prune(Instant before) override {
    guarded([&] {
      long long when = micros(before);
      session_ << "DELETE FROM processed_updates WHERE processed_at < lottery_ts(:before)",
          use(when, "before");
    });
  }

 private:
  soci::session& session_;
};

class SqlAudit : public AuditLog {
 public:
  explicit SqlAudit(soci::session& session) : session_(session) {}

  void append(const AuditEvent& event) override {
    guarded([&] {
      long long at = micros(event.at);
      std::string actor(to_string(event.actor.kind));
      Nullable<long long> telegram;
      if (event.actor.telegram_id) telegram = {event.actor.telegram_id->value(), soci::i_ok};
      std::string action(to_string(event.action));
      Nullable<long long> lottery;
      if (event.lottery) lottery = {event.lottery->value(), soci::i_ok};
      Nullable<long long> winner;
      if (event.winner) winner = {event.winner->value(), soci::i_ok};
      std::string details = event.details;
      session_ << "INSERT INTO audit_events (at, actor_kind, actor_telegram_id, action, "
                  "lottery_id, winner_id, details) VALUES (lottery_ts(:at), :actor, :telegram, "
                  ":action, :lottery, :winner, :details)",
          use(at, "at"), use(actor, "actor"), use(telegram.value, telegram.indicator, "telegram"),
          use(action, "action"), use(lottery.value, lottery.indicator, "lottery"),
          use(winner.value, winner.indicator, "winner"), use(details, "details");
    });
  }

  std::vector<AuditEvent> for_lottery(LotteryId lottery) override {
    return guarded([&] {
      long long key = lottery.value();
      std::vector<AuditEvent> events;
      Rows rows(session_,
                "SELECT lottery_us(at), actor_kind, actor_telegram_id, action, "
                "lottery_id, winner_id, details FROM audit_events "
                "WHERE lottery_id = :lottery ORDER BY id",
                use(key, "lottery"));
      for (const auto& row : rows) {
        AuditEvent event;
        event.at = instant(row, 0);
        event.actor.kind = must(parse_actor_kind(text(row, 1)), "actor kind");
        if (const auto id = optional_integer(row, 2)) event.actor.telegram_id = TelegramUserId{*id};
        event.action = must(parse_audit_action(text(row, 3)), "audit action");
        if (const auto id = optional_integer(row, 4)) event.lottery = LotteryId{*id};
        if (const auto id = optional_integer(row, 5)) event.winner = WinnerId{*id};
        event.details = text(row, 6);
        events.push_back(std::move(event));
      }
      return events;
    });
  }

 private:
  soci::session& session_;
};

}  // namespace

Repositories make_repositories(soci::session& session, Dialect dialect) {
  return Repositories{std::make_unique<SqlUsers>(session),
                      std::make_unique<SqlAccounts>(session, dialect),
                      std::make_unique<SqlLotteries>(session, dialect),
                      std::make_unique<SqlEntries>(session, dialect),
                      std::make_unique<SqlWinners>(session),
                      std::make_unique<SqlReports>(session),
                      std::make_unique<SqlOutbox>(session, dialect),
                      std::make_unique<SqlAudit>(session),
                      std::make_unique<SqlDialogues>(session),
                      std::make_unique<SqlUpdates>(session)};
}

}  // namespace lottery::db
