// The AuditLog port on SOCI (PostgreSQL and SQLite).
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

class SqlAudit : public AuditLog {
 public:
  explicit SqlAudit(soci::session& session) : session_(session) {}

  void append(const AuditEvent& event) override {
    // Every change of a win, an account or a lottery.
    static const HotStatement hot{
        "lottery_audit_append",
        "INSERT INTO audit_events (at, actor_kind, actor_telegram_id, action, lottery_id, "
        "winner_id, details) VALUES (lottery_ts(:at), :actor, :telegram, :action, :lottery, "
        ":winner, :details)"};
    guarded([&] {
      (void)execute_hot(session_, hot,
                        {{"at", micros(event.at)},
                         {"actor", std::string(to_string(event.actor.kind))},
                         {"telegram", id_or_null(event.actor.telegram_id)},
                         {"action", std::string(to_string(event.action))},
                         {"lottery", id_or_null(event.lottery)},
                         {"winner", id_or_null(event.winner)},
                         {"details", event.details}});
    });
  }

  std::vector<AuditEvent> for_lottery(LotteryId lottery) override {
    return guarded([&] {
      long long key = lottery.value();
      std::vector<AuditEvent> events;
      Rows rows(session_,
                "SELECT lottery_us(at) AS at_us, actor_kind, actor_telegram_id, action, "
                "lottery_id, winner_id, details FROM audit_events "
                "WHERE lottery_id = :lottery ORDER BY id",
                use(key, "lottery"));
      for (const auto& row : rows) {
        AuditEvent event;
        event.at = instant(row, "at_us");
        event.actor.kind = must(parse_actor_kind(text(row, "actor_kind")), "actor kind");
        if (const auto id = optional_integer(row, "actor_telegram_id"))
          event.actor.telegram_id = TelegramUserId{*id};
        event.action = must(parse_audit_action(text(row, "action")), "audit action");
        if (const auto id = optional_integer(row, "lottery_id")) event.lottery = LotteryId{*id};
        if (const auto id = optional_integer(row, "winner_id")) event.winner = WinnerId{*id};
        event.details = text(row, "details");
        events.push_back(std::move(event));
      }
      return events;
    });
  }

 private:
  soci::session& session_;
};

}  // namespace

std::unique_ptr<AuditLog> make_audit(soci::session& session) {
  return std::make_unique<SqlAudit>(session);
}

}  // namespace lottery::db
