// The Lotteries port on SOCI (PostgreSQL and SQLite).
#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <span>
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

// Lotteries

constexpr const char* kLotteryColumns =
    "SELECT id, title, status, claim_window_seconds, seed_hex, draw_cursor, "
    "lottery_us(created_at) AS created_at_us, lottery_us(drawn_at) AS drawn_at_us, "
    "fairness_version, entries_hash_hex, "
    "public_value, skipped_ordinals FROM lotteries ";

// 32 bytes stored as 64 hex digits: the seed, or the entries' hash chain.
Digest digest_from_hex(const std::string& hex, const char* what) {
  const auto digest = parse_hex_digest(hex);
  if (!digest) corrupt(what);
  return *digest;
}

Lottery lottery_from(const soci::row& row) {
  Lottery lottery;
  lottery.id = LotteryId{integer(row, "id")};
  lottery.title = text(row, "title");
  lottery.status = must(parse_lottery_status(text(row, "status")), "lottery status");
  lottery.claim_window = std::chrono::seconds{integer(row, "claim_window_seconds")};
  lottery.seed = digest_from_hex(text(row, "seed_hex"), "lottery seed");
  lottery.draw_cursor = static_cast<std::uint64_t>(integer(row, "draw_cursor"));
  lottery.created_at = instant(row, "created_at_us");
  lottery.drawn_at = optional_instant(row, "drawn_at_us");
  lottery.fairness_version = static_cast<int>(integer(row, "fairness_version"));
  if (const std::string hash = text(row, "entries_hash_hex"); !hash.empty())
    lottery.entries_hash = digest_from_hex(hash, "entries hash");
  lottery.public_value = text(row, "public_value");
  const std::string skipped = text(row, "skipped_ordinals");
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

  std::map<LotteryId, std::string> titles(std::span<const LotteryId> ids) override {
    static const HotStatement postgresql{
        "lottery_titles",
        "SELECT id, title FROM lotteries WHERE id = ANY (CAST(:ids AS bigint[]))"};
    static const HotStatement sqlite{
        "lottery_titles",
        "SELECT id, title FROM lotteries WHERE id IN (SELECT value FROM json_each(:ids))"};
    std::map<LotteryId, std::string> found;
    if (ids.empty()) return found;
    return guarded([&] {
      Rows rows(session_, dialect_ == Dialect::kPostgresql ? postgresql : sqlite,
                {{"ids", id_list(ids, dialect_)}});
      for (const auto& row : rows) found.emplace(LotteryId{integer(row, "id")}, text(row, "title"));
      return found;
    });
  }

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
        prizes[integer(row, "lottery_id")].push_back(
            Prize{static_cast<int>(integer(row, "place")), text(row, "prize")});
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
      // A win's title, a notification's prizes: read for most updates about wins.
      static const HotStatement read{"lottery_find_lottery",
                                     std::string(kLotteryColumns) + "WHERE id = :id"};
      static const HotStatement locked{"lottery_find_lottery_for_update",
                                       std::string(kLotteryColumns) + "WHERE id = :id FOR UPDATE"};
      static const HotStatement prizes{
          "lottery_find_prizes",
          "SELECT place, prize FROM lottery_prizes WHERE lottery_id = :id ORDER BY place"};
      std::optional<Lottery> lottery;
      Rows rows(session_, for_update && dialect_ == Dialect::kPostgresql ? locked : read,
                {{"id", key}});
      for (const auto& row : rows) lottery = lottery_from(row);
      if (!lottery) return std::nullopt;
      Rows prize_rows(session_, prizes, {{"id", key}});
      for (const auto& row : prize_rows) {
        lottery->prizes.push_back(
            Prize{static_cast<int>(integer(row, "place")), text(row, "prize")});
      }
      return lottery;
    });
  }

  soci::session& session_;
  Dialect dialect_;
};

}  // namespace

std::unique_ptr<LotteryRepository> make_lotteries(soci::session& session, Dialect dialect) {
  return std::make_unique<SqlLotteries>(session, dialect);
}

}  // namespace lottery::db
