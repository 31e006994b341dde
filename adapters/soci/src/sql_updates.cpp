// The ProcessedUpdates port on SOCI (PostgreSQL and SQLite).
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

class SqlUpdates : public ProcessedUpdates {
 public:
  explicit SqlUpdates(soci::session& session) : session_(session) {}

  // One statement for the check and the record: on PostgreSQL a concurrent claim of
  // the same update waits on the key, then finds it taken.
  bool claim(std::int64_t update_id, Instant at) override {
    static const HotStatement hot{
        "lottery_claim_update",
        "INSERT INTO processed_updates (update_id, processed_at) "
        "VALUES (:id, lottery_ts(:at)) ON CONFLICT (update_id) DO NOTHING"};
    return guarded([&] {
      return execute_hot(session_, hot, {{"id", update_id}, {"at", micros(at)}}) == 1;
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

}  // namespace

std::unique_ptr<ProcessedUpdates> make_updates(soci::session& session) {
  return std::make_unique<SqlUpdates>(session);
}

}  // namespace lottery::db
