// The Accounts port on SOCI (PostgreSQL and SQLite).
#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "lottery/core/draw_verification.hpp"
#include "repositories.hpp"
#include "sql_support.hpp"
#include "staging.hpp"

namespace lottery::db {
namespace {

using soci::into;
using soci::use;

// Accounts

constexpr const char* kAccountColumns =
    "SELECT id, account_number, owner_id, lottery_flag(is_active) AS is_active, "
    "lottery_us(created_at) AS created_at_us FROM accounts ";

Account account_from(const soci::row& row) {
  std::optional<UserId> owner;
  if (const auto id = optional_integer(row, "owner_id")) owner = UserId{*id};
  return Account{AccountId{integer(row, "id")},
                 must(AccountNumber::parse(text(row, "account_number")), "account number"), owner,
                 integer(row, "is_active") != 0, instant(row, "created_at_us")};
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
    static const HotStatement hot{
        "lottery_accounts_by_owner",
        std::string(kAccountColumns) + "WHERE owner_id = :owner ORDER BY account_number"};
    return guarded([&] {
      std::vector<Account> accounts;
      Rows rows(session_, hot, {{"owner", owner.value()}});
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
                 "SELECT a.id AS id, a.account_number AS account_number, a.owner_id AS owner_id, "
                 "lottery_flag(a.is_active) AS is_active, lottery_us(a.created_at) AS "
                 "created_at_us, s.position AS position, u.id AS holder_id "
                 "FROM lottery_staging s "
                 "LEFT JOIN users u ON u.club_card_number = s.club_card AND u.is_registered = TRUE "
                 "LEFT JOIN accounts a ON a.account_number = s.account_number "
                 "WHERE u.id IS NOT NULL OR a.id IS NOT NULL");
      for (const auto& row : found) {
        AccountImportResult& result =
            results.at(static_cast<std::size_t>(integer(row, "position")));
        if (const auto holder = optional_integer(row, "holder_id")) result.holder = UserId{*holder};
        if (!is_null(row, "id")) {
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
      for (const auto& row : registered)
        holders.emplace(text(row, "club_card_number"), UserId{integer(row, "id")});
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

}  // namespace

std::unique_ptr<AccountRepository> make_accounts(soci::session& session, Dialect dialect) {
  return std::make_unique<SqlAccounts>(session, dialect);
}

}  // namespace lottery::db
