// audit: the history of a lottery and its wins, from the audit log.

#include <string>

#include "commands.hpp"
#include "lottery/core/audit_event.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/time.hpp"

namespace lottery::ctl {
namespace {

int audit(db::Database& database, LotteryId id, bool csv, const TimeZone& zone) {
  if (!require_current_schema(database)) return kFailed;
  auto transaction = database.begin();
  const auto trail = audit_trail(*transaction, id);
  if (!trail) return lottery_not_found(id);
  Table table;
  const TimeShown time{csv, zone};
  table.header = {time.header("Время"), "Кто", "Действие", "Выигрыш", "Подробности"};
  table.numeric = {false, false, false, true, false};
  for (const AuditEvent& event : trail->events) {
    std::string who(to_string(event.actor.kind));
    if (event.actor.telegram_id) who += " " + std::to_string(event.actor.telegram_id->value());
    table.rows.push_back({time(event.at), who, std::string(to_string(event.action)),
                          event.winner ? "#" + std::to_string(event.winner->value()) : "",
                          event.details});
  }
  return print_table(table, csv);
}

}  // namespace

int run_audit(const Invocation& invocation) {
  bool csv = false;
  std::optional<LotteryId> lottery;
  for (const auto& argument : invocation.arguments) {
    if (argument == "--csv") {
      csv = true;
    } else if (!lottery && parse_lottery(argument)) {
      lottery = parse_lottery(argument);
    } else {
      return usage_error("audit: лишний параметр " + argument);
    }
  }
  if (!lottery) return usage_error("audit: укажите номер розыгрыша");
  const auto zone = zone_of(invocation);
  const auto database = open_database(invocation);
  return audit(*database, *lottery, csv, *zone);
}

}  // namespace lottery::ctl
