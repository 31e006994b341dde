// lotteryctl: the operator's command line for the lottery database (SPEC §7).
// Messages are in Russian: the club's admins run it.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "lottery/core/query_service.hpp"
#include "lottery/db/database.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "table.hpp"

namespace lottery::ctl {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr std::string_view kDefaultDatabaseUrl = "sqlite:lottery.db";

constexpr const char* kHelp =
    R"(Использование: lotteryctl [--database-url URL] КОМАНДА [ПАРАМЕТРЫ]

Команды:
  migrate                     применить новые миграции базы данных
  clear-db [--yes]            удалить ВСЕ данные (схема и история миграций остаются);
                              спрашивает имя базы, --yes — без вопроса
  report ОТЧЁТ [--csv]        отчёт таблицей или в CSV:
      winners-by-card         победители по клубным картам
      top-accounts            счета с наибольшим числом участий
      unclaimed               невостребованные выигрыши старше срока подтверждения
  help                        эта справка

База данных: --database-url или переменная DATABASE_URL
  (postgresql://пользователь:пароль@хост:порт/база или sqlite:ПУТЬ;
  по умолчанию sqlite:lottery.db).
)";

struct Options {
  std::string database_url;
  std::string command;
  std::vector<std::string> arguments;
};

// Parses the global options and the command; an error is one line for stderr.
std::optional<std::string> parse_options(int argc, char** argv, Options& options) {
  const char* from_environment = std::getenv("DATABASE_URL");
  options.database_url = from_environment != nullptr && *from_environment != '\0'
                             ? from_environment
                             : std::string(kDefaultDatabaseUrl);
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (options.command.empty() && argument == "--database-url") {
      if (i + 1 >= argc) return "--database-url: не указан URL";
      options.database_url = argv[++i];
    } else if (options.command.empty() && argument.rfind("--database-url=", 0) == 0) {
      options.database_url = argument.substr(std::string("--database-url=").size());
    } else if (options.command.empty() && (argument == "--help" || argument == "-h")) {
      options.command = "help";
    } else if (options.command.empty()) {
      if (argument.rfind('-', 0) == 0) return "неизвестный параметр " + argument;
      options.command = argument;
    } else {
      options.arguments.push_back(argument);
    }
  }
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << "lotteryctl: " << message << "\nСправка: lotteryctl --help\n";
  return kUsage;
}

// The database's own words on one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  text.erase(text.find_last_not_of(' ') + 1);
  return text;
}

// Opens the database; only `migrate` may create a SQLite file that is not there yet.
std::unique_ptr<db::Database> open_database(const std::string& url_text, bool may_create) {
  auto url = db::parse_database_url(url_text);
  if (!url) throw std::invalid_argument(url.error());
  if (!may_create && url->dialect == db::Dialect::kSqlite &&
      !std::filesystem::exists(url->database_name)) {
    throw StorageError(
        StorageError::Kind::kUnavailable,
        "файл базы «" + url->database_name + "» не найден (новую базу создаёт lotteryctl migrate)");
  }
  try {
    return db::Database::connect(*url, 1);
  } catch (const StorageError& error) {
    throw StorageError(
        error.kind(), "не удалось подключиться к " + url->redacted + ": " + one_line(error.what()));
  }
}

// Reports and clearing need the current schema; say so rather than fail obscurely.
bool require_current_schema(db::Database& database) {
  const auto pending = database.pending_migrations();
  if (pending.empty()) return true;
  std::cerr << "lotteryctl: база данных не обновлена (ожидают миграции, первая — "
            << pending.front() << "): выполните lotteryctl migrate\n";
  return false;
}

int migrate(db::Database& database) {
  const auto report = database.migrate();
  if (!report.adopted.empty()) {
    std::cout << "Найдена база прежней версии бота; учтены как применённые:";
    for (const auto& file : report.adopted) std::cout << ' ' << file;
    std::cout << '\n';
  }
  if (report.applied.empty()) {
    std::cout << "Миграции не требуются: база в актуальном состоянии.\n";
  } else {
    for (const auto& file : report.applied) std::cout << "Применена " << file << '\n';
  }
  return kOk;
}

int clear(db::Database& database, bool confirmed) {
  if (!require_current_schema(database)) return kFailed;
  const std::string& name = database.database_name();
  if (!confirmed) {
    if (::isatty(STDIN_FILENO) == 0) {
      std::cerr << "lotteryctl: clear-db удаляет все данные и без терминала требует --yes; "
                   "ничего не удалено.\n";
      return kUsage;
    }
    std::cout << "Будут удалены ВСЕ данные базы «" << name
              << "»: пользователи, счета, розыгрыши, победители, сообщения, журнал.\n"
                 "Схема и история миграций останутся. Для подтверждения введите имя базы: "
              << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != name) {
      std::cout << "Имя не совпало — ничего не удалено.\n";
      return kFailed;
    }
  }
  database.clear_all_data();
  std::cout << "Все данные базы «" << name << "» удалены.\n";
  return kOk;
}

std::string card_text(const std::optional<ClubCard>& card) { return card ? card->str() : "—"; }

int report(db::Database& database, const std::string& which, bool csv) {
  if (!require_current_schema(database)) return kFailed;

  system::SystemClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness draw_randomness;
  QueryService queries(Dependencies{database, clock, random, draw_randomness, Settings{}});
  const auto stats = queries.stats(Requester::system());
  if (!stats) throw StorageError(StorageError::Kind::kUnavailable, stats.error().detail);

  Table table;
  if (which == "winners-by-card") {
    table.header = {"Клубная карта", "Имя", "Выигрышей", "Подтверждено"};
    table.numeric = {false, false, true, true};
    for (const auto& row : stats->winners_by_card) {
      table.rows.push_back({row.club_card.str(), row.first_name, std::to_string(row.total_wins),
                            std::to_string(row.claimed_wins)});
    }
  } else if (which == "top-accounts") {
    table.header = {"Счёт", "Клубная карта", "Участий"};
    table.numeric = {false, false, true};
    for (const auto& row : stats->top_accounts) {
      table.rows.push_back(
          {row.account.str(), card_text(row.club_card), std::to_string(row.participations)});
    }
  } else {
    table.header = {"Розыгрыш", "Место", "Приз", "Счёт", "Клубная карта"};
    table.numeric = {false, true, false, false, false};
    for (const auto& row : stats->unclaimed) {
      table.rows.push_back({"#" + std::to_string(row.lottery.value()) + " " + row.lottery_title,
                            std::to_string(row.place), row.prize, row.account.str(),
                            card_text(row.club_card)});
    }
  }
  if (csv) {
    print_csv(std::cout, table);
  } else if (table.rows.empty()) {
    std::cout << "Нет данных.\n";
  } else {
    print_aligned(std::cout, table);
  }
  return kOk;
}

int run(int argc, char** argv) {
  Options options;
  if (const auto error = parse_options(argc, argv, options)) return usage_error(*error);
  if (options.command.empty()) return usage_error("не указана команда");
  if (options.command == "help") {
    std::cout << kHelp;
    return kOk;
  }
  // Every argument is checked before the database is touched.
  bool confirmed = false;
  bool csv = false;
  std::string which;
  if (options.command == "migrate") {
    if (!options.arguments.empty()) {
      return usage_error("migrate: лишний параметр " + options.arguments.front());
    }
  } else if (options.command == "clear-db") {
    for (const auto& argument : options.arguments) {
      if (argument != "--yes") return usage_error("clear-db: неизвестный параметр " + argument);
      confirmed = true;
    }
  } else if (options.command == "report") {
    for (const auto& argument : options.arguments) {
      if (argument == "--csv") {
        csv = true;
      } else if (which.empty() && argument.rfind('-', 0) != 0) {
        which = argument;
      } else {
        return usage_error("report: лишний параметр " + argument);
      }
    }
    if (which != "winners-by-card" && which != "top-accounts" && which != "unclaimed") {
      return usage_error(which.empty() ? "report: укажите отчёт"
                                       : "report: нет отчёта «" + which + "»");
    }
  } else {
    return usage_error("неизвестная команда «" + options.command + "»");
  }
  std::unique_ptr<db::Database> database;
  try {
    database = open_database(options.database_url, options.command == "migrate");
  } catch (const std::invalid_argument& error) {
    std::cerr << "lotteryctl: " << error.what() << '\n';
    return kUsage;
  }
  if (options.command == "migrate") return migrate(*database);
  if (options.command == "clear-db") return clear(*database, confirmed);
  return report(*database, which, csv);
}

}  // namespace
}  // namespace lottery::ctl

int main(int argc, char** argv) {
  try {
    return lottery::ctl::run(argc, argv);
  } catch (const lottery::db::MigrationError& error) {
    std::cerr << "lotteryctl: миграция " << error.file() << " не применена, база осталась "
              << "как была до неё: " << error.what() << '\n';
  } catch (const std::exception& error) {
    std::cerr << "lotteryctl: " << error.what() << '\n';
  }
  return 1;
}
