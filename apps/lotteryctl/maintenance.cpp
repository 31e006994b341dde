// migrate and clear-db: bringing the schema up to date, and emptying the database.

#include <unistd.h>

#include <iostream>
#include <string>

#include "commands.hpp"

namespace lottery::ctl {
namespace {

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

// The operator at a terminal types the database's name to confirm; kOk if it matches.
int confirm_on_terminal(const std::string& name) {
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
  return kOk;
}

int clear(db::Database& database, bool confirmed) {
  if (!require_current_schema(database)) return kFailed;
  const std::string& name = database.database_name();
  if (!confirmed) {
    if (const int refused = confirm_on_terminal(name); refused != kOk) return refused;
  }
  database.clear_all_data();
  std::cout << "Все данные базы «" << name << "» удалены.\n";
  return kOk;
}

}  // namespace

int run_migrate(const Invocation& invocation) {
  if (!invocation.arguments.empty()) {
    return usage_error("migrate: лишний параметр " + invocation.arguments.front());
  }
  const auto database = open_database(invocation, /*may_create=*/true);
  return migrate(*database);
}

int run_clear_db(const Invocation& invocation) {
  bool confirmed = false;
  for (const auto& argument : invocation.arguments) {
    if (argument != "--yes") return usage_error("clear-db: неизвестный параметр " + argument);
    confirmed = true;
  }
  const auto database = open_database(invocation);
  return clear(*database, confirmed);
}

}  // namespace lottery::ctl
