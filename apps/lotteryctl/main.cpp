// lotteryctl: the operator's command line for the lottery database (SPEC §7).
// Messages are in Russian: the club's admins run it.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "lottery/db/database.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::ctl {
namespace {

constexpr std::string_view kDefaultDatabaseUrl = "sqlite:lottery.db";

// One command: its name, its lines of the help, what runs it.
struct Command {
  std::string_view name;
  std::string_view help;
  int (*run)(const Invocation& invocation);
};

int print_help(const Invocation& invocation);

// Every command, in the order the help lists them.
constexpr std::array<Command, 8> kCommands{{
    {"migrate", "  migrate                     применить новые миграции базы данных\n",
     run_migrate},
    {"clear-db",
     "  clear-db [--yes]            удалить ВСЕ данные (схема и история миграций остаются);\n"
     "                              спрашивает имя базы, --yes — без вопроса\n",
     run_clear_db},
    {"report",
     "  report ОТЧЁТ [--csv]        отчёт таблицей или в CSV:\n"
     "      winners-by-card         победители по клубным картам (без карты — «Нет данных»)\n"
     "      top-accounts [--limit N] счета с наибольшим числом участий (все или первые N)\n"
     "      unclaimed               невостребованные выигрыши, у которых истек их срок\n",
     run_report},
    {"export",
     "  export entries ID           список участников розыгрыша в CSV (ordinal,account_number):\n"
     "                              его публикуют для проверки розыгрыша\n"
     "  export winners ID --csv|--json\n"
     "                              победители розыгрыша (все туры, со статусами)\n",
     run_export},
    {"audit", "  audit ID [--csv]            история розыгрыша и его выигрышей из журнала аудита\n",
     run_audit},
    {"import",
     "  import ФАЙЛ.csv [--lottery ID]\n"
     "                              загрузить счета: строки «клубная_карта,номер_счёта» или\n"
     "                              только номер счёта (разделитель «,» или «;»). Счёт\n"
     "                              привязывается к клиенту с этой картой, иначе создаётся без\n"
     "                              владельца; с --lottery все счета файла участвуют в розыгрыше.\n"
     "                              Итог: добавлено / уже были / отклонено (с номерами строк);\n"
     "                              код выхода 1, если есть отклонённые строки\n",
     run_import},
    {"verify-draw",
     "  verify-draw ID              проверить проведённый розыгрыш по базе: ключ, хэш списка\n"
     "                              участников, победители (docs/FAIRNESS.md)\n"
     "  verify-draw --lottery ID --seed КЛЮЧ --entries ФАЙЛ [--public ЗНАЧЕНИЕ]\n"
     "              [--skipped 3,8] [--entries-hash ХЭШ] [--commitment ХЭШ]\n"
     "              [--winners 5,1,9 | --places K]\n"
     "                              проверить по опубликованным данным, без базы\n",
     run_verify_draw},
    {"help", "  help                        эта справка\n", print_help},
}};

constexpr std::string_view kHelpHead =
    "Использование: lotteryctl [--database-url URL] КОМАНДА [ПАРАМЕТРЫ]\n\nКоманды:\n";
constexpr std::string_view kHelpTail =
    "\nБаза данных: --database-url или переменная DATABASE_URL\n"
    "  (postgresql://пользователь:пароль@хост:порт/база или sqlite:ПУТЬ;\n"
    "  по умолчанию sqlite:lottery.db).\n"
    "Время в таблицах — в часовом поясе TIME_ZONE (по умолчанию Europe/Moscow),\n"
    "в CSV — в UTC.\n";

int print_help(const Invocation& /*invocation*/) {
  std::cout << kHelpHead;
  for (const Command& command : kCommands) std::cout << command.help;
  std::cout << kHelpTail;
  return kOk;
}

const Command* find_command(std::string_view name) {
  const auto found = std::find_if(kCommands.begin(), kCommands.end(),
                                  [&](const Command& command) { return command.name == name; });
  return found == kCommands.end() ? nullptr : &*found;
}

struct Options {
  std::string command;
  Invocation invocation;
};

// Parses the global options and the command; an error is one line for stderr.
std::optional<std::string> parse_options(int argc, char** argv, Options& options) {
  const char* zone_name = std::getenv("TIME_ZONE");
  options.invocation.zone_name =
      zone_name != nullptr && *zone_name != '\0' ? zone_name : "Europe/Moscow";
  const char* from_environment = std::getenv("DATABASE_URL");
  std::string& database_url = options.invocation.database_url;
  database_url = from_environment != nullptr && *from_environment != '\0'
                     ? from_environment
                     : std::string(kDefaultDatabaseUrl);
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (options.command.empty() && argument == "--database-url") {
      if (i + 1 >= argc) return "--database-url: не указан URL";
      database_url = argv[++i];
    } else if (options.command.empty() && argument.rfind("--database-url=", 0) == 0) {
      database_url = argument.substr(std::string("--database-url=").size());
    } else if (options.command.empty() && (argument == "--help" || argument == "-h")) {
      options.command = "help";
    } else if (options.command.empty()) {
      if (argument.rfind('-', 0) == 0) return "неизвестный параметр " + argument;
      options.command = argument;
    } else {
      options.invocation.arguments.push_back(argument);
    }
  }
  return std::nullopt;
}

// The database's own words on one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  text.erase(text.find_last_not_of(' ') + 1);
  return text;
}

int run(int argc, char** argv) {
  Options options;
  if (const auto error = parse_options(argc, argv, options)) return usage_error(*error);
  // `lotteryctl КОМАНДА --help` too: the help covers every command.
  for (const auto& argument : options.invocation.arguments) {
    if (argument == "--help" || argument == "-h") options.command = "help";
  }
  if (options.command.empty()) return usage_error("не указана команда");
  const Command* command = find_command(options.command);
  if (command == nullptr) return usage_error("неизвестная команда «" + options.command + "»");
  try {
    return command->run(options.invocation);
  } catch (const BadDatabaseUrl& error) {
    std::cerr << "lotteryctl: " << error.what() << '\n';
    return kUsage;
  } catch (const BadTimeZone& error) {
    std::cerr << "lotteryctl: " << error.what() << '\n';
    return kUsage;
  }
}

}  // namespace

std::unique_ptr<db::Database> open_database(const Invocation& invocation, bool may_create) {
  auto url = db::parse_database_url(invocation.database_url);
  if (!url) throw BadDatabaseUrl(url.error());
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
