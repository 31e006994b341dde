// report (the three reports of SPEC §6) and export (a lottery's entry list and winners).

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "lottery/core/draw_publication.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::ctl {
namespace {

std::string card_text(const std::optional<ClubCard>& card) { return card ? card->str() : "—"; }

// A positive count of at most nine digits; nothing for anything else.
std::optional<std::size_t> parse_count(const std::string& text) {
  std::size_t value = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value;
}

Table winners_by_card(const Stats& stats, const TimeShown& /*time*/) {
  Table table;
  table.header = {"Клубная карта", "Имя", "Выигрышей", "Подтверждено"};
  table.numeric = {false, false, true, true};
  for (const auto& row : stats.winners_by_card) {
    // The notes' «Нет данных»: wins without a card (ownerless accounts').
    table.rows.push_back({row.club_card ? row.club_card->str() : "Нет данных", row.first_name,
                          std::to_string(row.total_wins), std::to_string(row.claimed_wins)});
  }
  return table;
}

Table top_accounts(const Stats& stats, const TimeShown& /*time*/) {
  Table table;
  table.header = {"Счёт", "Клубная карта", "Участий"};
  table.numeric = {false, false, true};
  for (const auto& row : stats.top_accounts) {
    table.rows.push_back(
        {row.account.str(), card_text(row.club_card), std::to_string(row.participations)});
  }
  return table;
}

Table unclaimed(const Stats& stats, const TimeShown& time) {
  Table table;
  table.header = {"Розыгрыш", "Место", "Приз", "Счёт", "Клубная карта", time.header("Срок")};
  table.numeric = {false, true, false, false, false, false};
  for (const auto& row : stats.unclaimed) {
    table.rows.push_back({"#" + std::to_string(row.lottery.value()) + " " + row.lottery_title,
                          std::to_string(row.place), row.prize, row.account.str(),
                          card_text(row.club_card), time(row.deadline)});
  }
  return table;
}

struct Report {
  std::string_view name;
  Table (*table)(const Stats& stats, const TimeShown& time);
};

constexpr std::array<Report, 3> kReports{{
    {"winners-by-card", winners_by_card},
    {"top-accounts", top_accounts},
    {"unclaimed", unclaimed},
}};

const Report* find_report(std::string_view name) {
  const auto found = std::find_if(kReports.begin(), kReports.end(),
                                  [&](const Report& report) { return report.name == name; });
  return found == kReports.end() ? nullptr : &*found;
}

int report(db::Database& database, const Report& which, bool csv, std::optional<std::size_t> limit,
           const TimeZone& zone) {
  if (!require_current_schema(database)) return kFailed;
  SystemPorts ports;
  QueryService queries(ports.dependencies(database));
  const auto stats = queries.stats(Requester::system(), limit);
  if (!stats) throw StorageError(StorageError::Kind::kUnavailable, stats.error().detail);
  return print_table(which.table(*stats, TimeShown{csv, zone}), csv);
}

int export_entries(db::Database& database, LotteryId id) {
  if (!require_current_schema(database)) return kFailed;
  bool drawn = false;
  const auto draw = load_draw(database, id, drawn);
  if (!draw) {
    return lottery_not_found(id);
  }
  for (const std::string& part : entries_csv_parts(draw->entries)) std::cout << part;
  return kOk;
}

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (byte < 0x20) {
      std::array<char, 8> escaped{};
      std::snprintf(escaped.data(), escaped.size(), "\\u%04x", static_cast<unsigned>(byte));
      quoted += escaped.data();
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

// The winners as a JSON object: the lottery, its title and one object per row, with the
// columns of kWinnerExportColumns as keys.
void print_winners_json(LotteryId id, const std::string& title,
                        const std::vector<WinnerExportRow>& rows) {
  std::cout << "{\"lottery\": " << id.value() << ", \"title\": " << json_string(title)
            << ", \"winners\": [";
  for (std::size_t row = 0; row < rows.size(); ++row) {
    std::cout << (row == 0 ? "\n  {" : ",\n  {");
    for (std::size_t column = 0; column < kWinnerExportColumns.size(); ++column) {
      const std::string& value = rows[row][column];
      std::cout << (column == 0 ? "" : ", ") << json_string(kWinnerExportColumns[column]) << ": ";
      if (column < 2) {
        std::cout << value;  // place and round are numbers
      } else {
        std::cout << (value.empty() ? "null" : json_string(value));
      }
    }
    std::cout << '}';
  }
  std::cout << (rows.empty() ? "]}\n" : "\n]}\n");
}

int export_winners(db::Database& database, LotteryId id, bool json) {
  if (!require_current_schema(database)) return kFailed;
  auto transaction = database.begin();
  // The core's export, as the chat's /export sends it; it refuses an unknown lottery.
  const auto exported = winner_export(*transaction, id);
  if (!exported) return lottery_not_found(id);
  if (json) {
    print_winners_json(id, exported->lottery_title, exported->rows);
    return kOk;
  }
  std::cout << winner_export_csv(exported->rows);  // the same bytes as the chat's /export
  return kOk;
}

}  // namespace

int run_report(const Invocation& invocation) {
  const auto& arguments = invocation.arguments;
  bool csv = false;
  std::optional<std::size_t> limit;
  std::string which;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--csv") {
      csv = true;
    } else if (argument == "--limit") {
      const auto count = i + 1 < arguments.size() ? parse_count(arguments[i + 1]) : std::nullopt;
      if (!count || *count == 0) return usage_error("report: --limit: ожидается число счетов");
      limit = *count;
      ++i;
    } else if (which.empty() && argument.rfind('-', 0) != 0) {
      which = argument;
    } else {
      return usage_error("report: лишний параметр " + argument);
    }
  }
  const Report* found = find_report(which);
  if (found == nullptr) {
    return usage_error(which.empty() ? "report: укажите отчёт"
                                     : "report: нет отчёта «" + which + "»");
  }
  if (limit && found->name != "top-accounts") {
    return usage_error("report: --limit — только для top-accounts");
  }
  const auto zone = zone_of(invocation);
  const auto database = open_database(invocation);
  return report(*database, *found, csv, limit, *zone);
}

int run_export(const Invocation& invocation) {
  const auto& arguments = invocation.arguments;
  const bool entries = arguments.size() == 2 && arguments[0] == "entries";
  const bool winners = arguments.size() == 3 && arguments[0] == "winners" &&
                       (arguments[2] == "--csv" || arguments[2] == "--json");
  const auto lottery = entries || winners ? parse_lottery(arguments[1]) : std::nullopt;
  if (!lottery) {
    return usage_error(
        "export: ожидается «export entries ID» или «export winners ID --csv|--json»");
  }
  const auto database = open_database(invocation);
  return entries ? export_entries(*database, *lottery)
                 : export_winners(*database, *lottery, arguments[2] == "--json");
}

}  // namespace lottery::ctl
