// The Entries port on SOCI (PostgreSQL and SQLite).
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

// Entries

// An entry with its account's current state, as kEntryColumns select it.
constexpr std::string_view kEntryColumns =
    "SELECT p.ordinal AS ordinal, a.id AS account_id, a.account_number AS account_number, "
    "a.owner_id AS owner_id, lottery_flag(a.is_active) AS is_active "
    "FROM participations p JOIN accounts a ON a.id = p.account_id ";

Entry entry_from(const soci::row& row, LotteryId lottery) {
  std::optional<UserId> owner;
  if (const auto id = optional_integer(row, "owner_id")) owner = UserId{*id};
  return Entry{lottery,
               static_cast<std::uint64_t>(integer(row, "ordinal")),
               AccountId{integer(row, "account_id")},
               must(AccountNumber::parse(text(row, "account_number")), "account number"),
               owner,
               integer(row, "is_active") != 0};
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

  std::optional<std::uint64_t> ordinal_of(LotteryId lottery, AccountId account) override {
    return guarded([&]() -> std::optional<std::uint64_t> {
      long long lottery_id = lottery.value();
      long long account_id = account.value();
      Rows rows(session_,
                "SELECT ordinal FROM participations WHERE lottery_id = :lottery "
                "AND account_id = :account",
                use(lottery_id, "lottery"), use(account_id, "account"));
      for (const auto& row : rows) return static_cast<std::uint64_t>(integer(row, "ordinal"));
      return std::nullopt;
    });
  }

 private:
  soci::session& session_;
  Dialect dialect_;
};

}  // namespace

std::unique_ptr<EntryRepository> make_entries(soci::session& session, Dialect dialect) {
  return std::make_unique<SqlEntries>(session, dialect);
}

}  // namespace lottery::db
