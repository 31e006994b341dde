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
