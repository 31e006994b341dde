// lotteryctl: the operator's command line for the lottery database (SPEC §7).
// Messages are in Russian: the club's admins run it.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "lottery/core/account_service.hpp"
#include "lottery/core/draw_verification.hpp"
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
  export entries ID           список участников розыгрыша в CSV (ordinal,account_number):
                              его публикуют для проверки розыгрыша
  export winners ID --csv|--json
                              победители розыгрыша (все туры, со статусами)
  audit ID [--csv]            история розыгрыша и его выигрышей из журнала аудита
  import ФАЙЛ.csv [--lottery ID]
                              загрузить счета: строки «клубная_карта,номер_счёта» или
                              только номер счёта (разделитель «,» или «;»). Счёт
                              привязывается к клиенту с этой картой, иначе создаётся без
                              владельца; с --lottery все счета файла участвуют в розыгрыше.
                              Итог: добавлено / уже были / отклонено (с номерами строк);
                              код выхода 1, если есть отклонённые строки
  verify-draw ID              проверить проведённый розыгрыш по базе: ключ, хэш списка
                              участников, победители (docs/FAIRNESS.md)
  verify-draw --lottery ID --seed КЛЮЧ --entries ФАЙЛ [--public ЗНАЧЕНИЕ]
              [--skipped 3,8] [--entries-hash ХЭШ] [--commitment ХЭШ]
              [--winners 5,1,9 | --places K]
                              проверить по опубликованным данным, без базы
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

// A report as CSV, or aligned for reading ("Нет данных." when empty).
int print_table(const Table& table, bool csv) {
  if (csv) {
    print_csv(std::cout, table);
  } else if (table.rows.empty()) {
    std::cout << "Нет данных.\n";
  } else {
    print_aligned(std::cout, table);
  }
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
  return print_table(table, csv);
}

int lottery_not_found(LotteryId id) {
  std::cerr << "lotteryctl: розыгрыш #" << id.value() << " не найден\n";
  return kFailed;
}

std::optional<std::vector<std::uint64_t>> parse_ordinals(const std::string& text) {
  std::vector<std::uint64_t> ordinals;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data() + start, text.data() + comma, value);
    if (error != std::errc{} || end != text.data() + comma) return std::nullopt;
    ordinals.push_back(value);
    start = comma + 1;
  }
  return ordinals;
}

std::optional<LotteryId> parse_lottery(const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return LotteryId{value};
}

// The published entry list: "ordinal,account_number" lines in order (a header is allowed).
std::optional<std::vector<AccountNumber>> read_entries(const std::string& path,
                                                       std::string& error) {
  std::ifstream file(path);
  if (!file) {
    error = "не удалось открыть " + path;
    return std::nullopt;
  }
  std::vector<AccountNumber> entries;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (line_number == 1 && line.rfind("ordinal", 0) == 0)) continue;
    const auto comma = line.find(',');
    const auto ordinal =
        comma == std::string::npos ? std::nullopt : parse_ordinals(line.substr(0, comma));
    const auto number = comma == std::string::npos ? AccountNumber::parse("")
                                                   : AccountNumber::parse(line.substr(comma + 1));
    if (!ordinal || ordinal->size() != 1 || ordinal->front() != entries.size() || !number) {
      error = path + ", строка " + std::to_string(line_number) + ": ожидается «" +
              std::to_string(entries.size()) + ",XX-XX-XX-XX-XX-XX-XX»";
      return std::nullopt;
    }
    entries.push_back(*number);
  }
  return entries;
}

void print_check(const DrawCheck& check, const PublishedDraw& draw) {
  std::cout << "Хэш ключа (SHA-256): " << to_hex(check.commitment) << '\n'
            << "Хэш списка участников: " << to_hex(check.entries_hash) << " ("
            << draw.entries.size() << " участников)\n"
            << "Победители в порядке жеребьёвки:\n";
  for (const std::uint64_t ordinal : check.winners) {
    std::cout << "  " << ordinal << ' ' << draw.entries.at(ordinal).str() << '\n';
  }
  for (const auto& problem : check.problems) std::cout << "НЕ СОВПАДАЕТ: " << problem << '\n';
  std::cout << (check.ok() ? "Розыгрыш проверен: всё совпадает.\n"
                           : "Розыгрыш НЕ прошёл проверку.\n");
}

// The published draw of a lottery, from the database.
std::optional<PublishedDraw> load_draw(db::Database& database, LotteryId id, bool& drawn) {
  auto transaction = database.begin();
  const auto lottery = transaction->lotteries().find(id);
  if (!lottery) return std::nullopt;
  drawn = lottery->drawn_at.has_value() && lottery->fairness_version >= 2;
  PublishedDraw draw;
  draw.lottery = id;
  draw.seed = lottery->seed;
  draw.entries_hash = lottery->entries_hash;
  draw.public_value = lottery->public_value;
  draw.skipped = lottery->skipped_ordinals;
  const std::uint64_t count = transaction->entries().count(id);
  std::map<AccountId, std::uint64_t> ordinal_of;
  for (std::uint64_t start = 0; start < count; start += 50'000) {
    for (const Entry& entry :
         transaction->entries().range(id, start, std::min(count, start + 50'000))) {
      draw.entries.push_back(entry.number);
      ordinal_of[entry.account] = entry.ordinal;
    }
  }
  auto wins = transaction->winners().list_by_lottery(id);
  std::sort(wins.begin(), wins.end(),
            [](const Winner& a, const Winner& b) { return a.draw_step < b.draw_step; });
  for (const Winner& win : wins) draw.winners.push_back(ordinal_of.at(win.account));
  return draw;
}

int export_entries(db::Database& database, LotteryId id) {
  if (!require_current_schema(database)) return kFailed;
  bool drawn = false;
  const auto draw = load_draw(database, id, drawn);
  if (!draw) {
    return lottery_not_found(id);
  }
  std::cout << "ordinal,account_number\n";
  for (std::size_t ordinal = 0; ordinal < draw->entries.size(); ++ordinal) {
    std::cout << ordinal << ',' << draw->entries[ordinal].str() << '\n';
  }
  return kOk;
}

std::string json_string(const std::string& text) {
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

int export_winners(db::Database& database, LotteryId id, bool json) {
  if (!require_current_schema(database)) return kFailed;
  auto transaction = database.begin();
  const auto lottery = transaction->lotteries().find(id);
  if (!lottery) {
    return lottery_not_found(id);
  }
  const auto rows = winner_export_rows(*transaction, id);
  if (!rows) return lottery_not_found(id);
  Table table;
  table.header.assign(kWinnerExportColumns.begin(), kWinnerExportColumns.end());
  for (const WinnerExportRow& row : *rows) table.rows.emplace_back(row.begin(), row.end());
  if (!json) {
    print_csv(std::cout, table);
    return kOk;
  }
  std::cout << "{\"lottery\": " << id.value() << ", \"title\": " << json_string(lottery->title)
            << ", \"winners\": [";
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    std::cout << (row == 0 ? "\n  {" : ",\n  {");
    for (std::size_t column = 0; column < table.header.size(); ++column) {
      const std::string& value = table.rows[row][column];
      std::cout << (column == 0 ? "" : ", ") << json_string(table.header[column]) << ": ";
      if (column < 2) {
        std::cout << value;  // place and round are numbers
      } else {
        std::cout << (value.empty() ? "null" : json_string(value));
      }
    }
    std::cout << '}';
  }
  std::cout << (table.rows.empty() ? "]}\n" : "\n]}\n");
  return kOk;
}

int audit(db::Database& database, LotteryId id, bool csv) {
  if (!require_current_schema(database)) return kFailed;
  auto transaction = database.begin();
  if (!transaction->lotteries().find(id)) {
    return lottery_not_found(id);
  }
  Table table;
  table.header = {"Время (UTC)", "Кто", "Действие", "Выигрыш", "Подробности"};
  table.numeric = {false, false, false, true, false};
  for (const AuditEvent& event : transaction->audit().for_lottery(id)) {
    std::string who(to_string(event.actor.kind));
    if (event.actor.telegram_id) who += " " + std::to_string(event.actor.telegram_id->value());
    table.rows.push_back({iso_time(event.at), who, std::string(to_string(event.action)),
                          event.winner ? "#" + std::to_string(event.winner->value()) : "",
                          event.details});
  }
  return print_table(table, csv);
}

// ---------------------------------------------------------------------------------
// import

constexpr std::size_t kImportBatch = 100'000;
constexpr std::size_t kRefusedShown = 1'000;
// A longer line is refused; of it only this much is ever held in memory.
constexpr std::size_t kMaxLineBytes = 1'024;
constexpr std::size_t kReadChunk = 64UL * 1024;
// The characters of a refused line the report shows.
constexpr std::size_t kShownCharacters = 80;

// The column names a header may hold, as column_key() writes them: the card's, then the
// account's. Any other first line is data.
constexpr std::array<std::string_view, 5> kCardColumns{"card", "club_card", "карта",
                                                       "клубная_карта", "номер_карты"};
constexpr std::array<std::string_view, 5> kAccountColumns{"account", "account_number", "number",
                                                          "счет", "номер_счета"};

std::string_view trim_field(std::string_view field) {
  const auto first = field.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  field = field.substr(first, field.find_last_not_of(" \t") - first + 1);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
    field = field.substr(1, field.size() - 2);
  }
  return field;
}

std::string_view refusal_reason(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidAccountNumber:
      return "неверный номер счёта (нужно 14 цифр: XX-XX-XX-XX-XX-XX-XX)";
    case ErrorCode::kInvalidClubCard:
      return "неверный номер клубной карты";
    case ErrorCode::kAccountOwnedByAnother:
      return "счёт принадлежит другому клиенту";
    default:
      return "ожидается «клубная_карта,номер_счёта» или номер счёта";
  }
}

std::string_view too_long_reason() {
  static const std::string reason = "строка длиннее " + std::to_string(kMaxLineBytes) + " байт";
  return reason;
}

// One line of the file: "card,number" ("card;number"), or a bare number.
Result<AccountImportRow> parse_import_line(std::string_view line) {
  const auto separator = line.find_first_of(",;");
  if (separator == std::string_view::npos) {
    auto number = AccountNumber::parse(trim_field(line));
    if (!number) return tl::unexpected(number.error());
    return AccountImportRow{*number, std::nullopt};
  }
  const std::string_view rest = line.substr(separator + 1);
  if (rest.find_first_of(",;") != std::string_view::npos) return fail(ErrorCode::kInvalidArgument);
  const std::string_view card_text = trim_field(line.substr(0, separator));
  std::optional<ClubCard> card;
  if (!card_text.empty()) {
    auto parsed = ClubCard::parse(card_text);
    if (!parsed) return tl::unexpected(parsed.error());
    card = *parsed;
  }
  auto number = AccountNumber::parse(trim_field(rest));
  if (!number) return tl::unexpected(number.error());
  return AccountImportRow{*number, card};
}

// A column name as compared: Latin and Cyrillic in lower case, «ё» as «е», a space as «_».
std::string column_key(std::string_view name) {
  std::string key;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0U;
    if (byte == ' ') {
      key += '_';
    } else if (byte >= 'A' && byte <= 'Z') {
      key += static_cast<char>(byte - 'A' + 'a');
    } else if ((byte == 0xD0 && (next == 0x81 || next == 0x95 || next == 0xB5)) ||
               (byte == 0xD1 && next == 0x91)) {
      key += "е";  // Ё, Е, е, ё
      ++i;
    } else if (byte == 0xD0 && next >= 0x90 && next <= 0x9F) {  // А–П
      key += {'\xD0', static_cast<char>(next + 0x20)};
      ++i;
    } else if (byte == 0xD0 && next >= 0xA0 && next <= 0xAF) {  // Р–Я
      key += {'\xD1', static_cast<char>(next - 0x20)};
      ++i;
    } else {
      key += static_cast<char>(byte);
    }
  }
  return key;
}

// A header names the columns, "клубная_карта,номер_счёта" or "номер_счёта", in words of
// kCardColumns and kAccountColumns; a first line of anything else is data.
bool is_header(std::string_view line) {
  const auto named = [](std::string_view field, const auto& names) {
    return std::find(names.begin(), names.end(), column_key(trim_field(field))) != names.end();
  };
  const auto separator = line.find_first_of(",;");
  if (separator == std::string_view::npos) return named(line, kAccountColumns);
  return named(line.substr(0, separator), kCardColumns) &&
         named(line.substr(separator + 1), kAccountColumns);
}

// The length of the well-formed UTF-8 character `text` starts with, 0 if there is none.
std::size_t utf8_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte: no overlong forms, no surrogates
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// A refused line as the report shows it: control characters (C0, DEL, C1) and bytes that
// are not UTF-8 as \xNN, so that nothing in the file can drive the operator's terminal;
// at most kShownCharacters characters, then «…».
std::string printable(std::string_view text) {
  std::string shown;
  std::size_t characters = 0;
  while (!text.empty()) {
    if (characters++ == kShownCharacters) return shown + "…";
    const auto lead = static_cast<unsigned char>(text.front());
    const std::size_t length = utf8_length(text);
    const bool c1_control =
        length == 2 && lead == 0xC2 && static_cast<unsigned char>(text[1]) < 0xA0;
    if (length == 0 || lead < 0x20 || lead == 0x7F || c1_control) {
      const std::size_t escaped = c1_control ? 2 : 1;
      for (std::size_t i = 0; i < escaped; ++i) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        const auto value = static_cast<unsigned char>(text[i]);
        shown += {'\\', 'x', kHex[value >> 4U], kHex[value & 0x0FU]};
      }
      text.remove_prefix(escaped);
    } else {
      shown += text.substr(0, length);
      text.remove_prefix(length);
    }
  }
  return shown;
}

// What an operating system error means, in the words of the report.
std::string error_text(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return "нет такого файла";
    case EACCES:
    case EPERM:
      return "нет доступа";
    case EIO:
      return "ошибка ввода-вывода";
    default:
      return std::strerror(error);
  }
}

// A failed read of the file, with its errno.
struct ReadError {
  int error{0};
};

// The file to import, open for reading; -1 after saying why it cannot be read.
int open_import_file(const std::string& path, std::uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::cerr << "lotteryctl: не удалось открыть " << path << ": " << error_text(error) << '\n';
    return -1;
  }
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(fd);
    std::cerr << "lotteryctl: " << path << " — это каталог, а не файл CSV\n";
    return -1;
  }
  // A pipe or a device has no size to measure progress by.
  size = S_ISREG(status.st_mode) ? static_cast<std::uint64_t>(status.st_size) : 0;
  return fd;
}

// The import file's lines that hold data: not blank, not the header, without a byte order
// mark or the carriage return of a Windows line end. Read through a fixed buffer, whatever
// the file: of a line longer than kMaxLineBytes only the start is kept and the rest skipped.
class ImportReader {
 public:
  struct Line {
    std::size_t number{0};  // 1-based
    std::string_view text;  // valid until the next call
    bool too_long{false};
  };

  explicit ImportReader(int fd) : fd_(fd), buffer_(kReadChunk) {}
  ~ImportReader() { ::close(fd_); }
  ImportReader(const ImportReader&) = delete;
  ImportReader& operator=(const ImportReader&) = delete;

  // The next line with data, nullopt at the end of the file; throws ReadError.
  std::optional<Line> next_data_line();
  [[nodiscard]] std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  std::optional<Line> next_line();
  bool refill();

  int fd_;
  std::vector<char> buffer_;
  std::size_t begin_{0};
  std::size_t end_{0};
  std::string line_;
  std::size_t number_{0};
  std::uint64_t bytes_read_{0};
  bool header_possible_{true};
};

std::optional<ImportReader::Line> ImportReader::next_data_line() {
  while (auto line = next_line()) {
    if (line->number == 1 && line->text.starts_with("\xEF\xBB\xBF")) line->text.remove_prefix(3);
    if (line->too_long) {
      header_possible_ = false;
      return line;
    }
    if (trim_field(line->text).empty()) continue;
    const bool header = header_possible_ && is_header(line->text);
    header_possible_ = false;
    if (!header) return line;
  }
  return std::nullopt;
}

std::optional<ImportReader::Line> ImportReader::next_line() {
  line_.clear();
  std::uint64_t length = 0;  // the whole line's, however long
  bool any = false;
  bool ended = false;
  while (!ended && (begin_ < end_ || refill())) {
    any = true;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const std::size_t part =
        newline != nullptr ? static_cast<std::size_t>(newline - start) : available;
    // One byte over the cap: a line that long is refused unless that byte is its "\r".
    line_.append(start, std::min(part, kMaxLineBytes + 1 - line_.size()));
    length += part;
    ended = newline != nullptr;
    begin_ += part + (ended ? 1 : 0);
  }
  if (!any) return std::nullopt;
  if (length <= kMaxLineBytes + 1 && !line_.empty() && line_.back() == '\r') {
    line_.pop_back();
    --length;
  }
  return Line{++number_, line_, length > kMaxLineBytes};
}

bool ImportReader::refill() {
  for (;;) {
    const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
    if (got > 0) {
      begin_ = 0;
      end_ = static_cast<std::size_t>(got);
      bytes_read_ += end_;
      return true;
    }
    if (got == 0) return false;
    if (errno != EINTR) throw ReadError{errno};
  }
}

// A refused line, for the report.
struct Refusal {
  std::size_t line{0};
  std::string text;
  std::string_view reason;  // one of the static texts above
};

// A batch of the file read and checked: the rows to import, its first refused lines (the
// others only counted) and how far into the file it reaches.
struct ParsedBatch {
  std::vector<ImportLine> lines;
  std::vector<Refusal> refused;  // at most kRefusedShown, in file order
  std::size_t refused_count{0};
  std::size_t data_lines{0};
  std::uint64_t bytes_read{0};
  bool last{false};
};

// Reads and checks the next kImportBatch lines with data; throws ReadError.
ParsedBatch parse_batch(ImportReader& reader) {
  ParsedBatch batch;
  batch.lines.reserve(kImportBatch);
  while (batch.data_lines < kImportBatch) {
    const auto line = reader.next_data_line();
    if (!line) {
      batch.last = true;
      break;
    }
    ++batch.data_lines;
    const auto refuse = [&](std::string_view reason) {
      if (++batch.refused_count > kRefusedShown) return;
      batch.refused.push_back(Refusal{line->number, std::string(line->text), reason});
    };
    if (line->too_long) {
      refuse(too_long_reason());
      continue;
    }
    const auto row = parse_import_line(line->text);
    if (!row) {
      refuse(refusal_reason(row.error()));
      continue;
    }
    batch.lines.push_back(ImportLine{line->number, std::string(line->text), *row});
  }
  batch.bytes_read = reader.bytes_read();
  return batch;
}

// The refused lines of the whole file: the first kRefusedShown kept for the report, the
// others only counted, so that memory stays bounded however many there are.
class Refusals {
 public:
  // One batch's refused lines, in any order; batches come in the file's order.
  void add(std::vector<Refusal> batch, std::size_t count) {
    std::sort(batch.begin(), batch.end(),
              [](const Refusal& a, const Refusal& b) { return a.line < b.line; });
    for (Refusal& refusal : batch) {
      if (shown_.size() == kRefusedShown) break;
      shown_.push_back(std::move(refusal));
    }
    count_ += count;
  }
  [[nodiscard]] const std::vector<Refusal>& shown() const { return shown_; }
  [[nodiscard]] std::size_t count() const { return count_; }

 private:
  std::vector<Refusal> shown_;
  std::size_t count_{0};
};

struct ImportTotals {
  BulkAddReport counts;  // its refused lines are in `refusals`
  Refusals refusals;
  std::size_t data_lines{0};
};

void add_up(ImportTotals& total, const BulkAddReport& batch) {
  total.counts.added += batch.added;
  total.counts.added_without_owner += batch.added_without_owner;
  total.counts.linked += batch.linked;
  total.counts.already_there += batch.already_there;
  std::vector<Refusal> refused;
  refused.reserve(batch.refused.size());
  for (const RefusedLine& line : batch.refused) {
    refused.push_back(Refusal{line.line, line.text, refusal_reason(line.error)});
  }
  total.refusals.add(std::move(refused), batch.refused.size());
  if (batch.enrolment) {
    auto& enrolment = total.counts.enrolment;
    if (!enrolment) enrolment = EnrolReport{};
    enrolment->added += batch.enrolment->added;
    enrolment->already_enrolled += batch.enrolment->already_enrolled;
    enrolment->total_entries = batch.enrolment->total_entries;
  }
}

// "\rИмпорт: 15 %" on a terminal, by the bytes read of the file's size; nothing otherwise.
class Progress {
 public:
  explicit Progress(std::uint64_t size)
      : size_(size), shown_(size > 0 && ::isatty(STDERR_FILENO) != 0) {}
  void update(std::uint64_t bytes_read) const {
    if (!shown_) return;
    std::cerr << "\rИмпорт: " << std::min(bytes_read, size_) * 100 / size_ << " %" << std::flush;
  }
  void finish() const {
    if (shown_) std::cerr << '\n';
  }

 private:
  std::uint64_t size_;
  bool shown_;
};

void print_import_report(const std::string& path, const ImportTotals& total,
                         std::optional<LotteryId> lottery) {
  const BulkAddReport& report = total.counts;
  const Refusals& refusals = total.refusals;
  std::cout << "Импорт из " << path << ": строк со счетами " << total.data_lines << '\n'
            << "  добавлено клиентам:        " << report.added << '\n'
            << "  добавлено без владельца:   " << report.added_without_owner << '\n'
            << "  привязано к владельцам:    " << report.linked << '\n'
            << "  уже были:                  " << report.already_there << '\n'
            << "  отклонено:                 " << refusals.count() << '\n';
  if (lottery && report.enrolment) {
    std::cout << "Розыгрыш #" << lottery->value() << ": добавлено участников "
              << report.enrolment->added << ", уже участвовали "
              << report.enrolment->already_enrolled << ", всего участников "
              << report.enrolment->total_entries << '\n';
  }
  if (refusals.count() == 0) return;
  std::cout << "Отклонённые строки:\n";
  for (const Refusal& refused : refusals.shown()) {
    std::cout << "  строка " << refused.line << ": «" << printable(refused.text) << "» — "
              << refused.reason << '\n';
  }
  if (refusals.count() > refusals.shown().size()) {
    std::cout << "  … и ещё " << refusals.count() - refusals.shown().size() << '\n';
  }
}

// Imports one checked batch; an exit code if the import has to stop.
std::optional<int> import_batch(AccountService& accounts, ParsedBatch& parsed,
                                std::optional<LotteryId> lottery, ImportTotals& total) {
  total.data_lines += parsed.data_lines;
  total.refusals.add(std::move(parsed.refused), parsed.refused_count);
  const std::span<const ImportLine> batch(parsed.lines);
  if (batch.empty()) return std::nullopt;
  const auto imported = accounts.import_accounts(Requester::system(), batch, lottery);
  if (imported) {
    add_up(total, *imported);
    return std::nullopt;
  }
  if (imported.error().code == ErrorCode::kUnknownLottery) return lottery_not_found(*lottery);
  if (imported.error().code == ErrorCode::kLotteryNotOpen) {
    std::cerr << "lotteryctl: розыгрыш #" << lottery->value()
              << " уже проведён: участников добавить нельзя; ничего не загружено\n";
    return kFailed;
  }
  std::cerr << "lotteryctl: импорт остановлен на строке " << batch.front().line << ": "
            << imported.error().detail << "\nСтроки до неё загружены; повторный запуск "
            << "продолжит (загруженные счета будут в «уже были»).\n";
  return kFailed;
}

int import_accounts(db::Database& database, const std::string& path,
                    std::optional<LotteryId> lottery) {
  std::uint64_t size = 0;
  const int fd = open_import_file(path, size);
  if (fd < 0) return kFailed;
  ImportReader reader(fd);
  if (!require_current_schema(database)) return kFailed;

  ImportTotals total;
  system::SystemClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness draw_randomness;
  AccountService accounts(Dependencies{database, clock, random, draw_randomness, Settings{}});
  const Progress progress(size);
  progress.update(0);
  const auto read_next = [&] {
    return std::async(std::launch::async, parse_batch, std::ref(reader));
  };
  // The next batch is read and checked while this one goes into the database; a refused
  // line never stops the others.
  std::future<ParsedBatch> next = read_next();
  try {
    for (bool last = false; !last;) {
      ParsedBatch parsed = next.get();
      last = parsed.last;
      if (!last) next = read_next();
      if (const auto stopped = import_batch(accounts, parsed, lottery, total)) {
        progress.finish();
        return *stopped;
      }
      progress.update(parsed.bytes_read);
    }
  } catch (const ReadError& error) {
    progress.finish();
    std::cerr << "lotteryctl: ошибка чтения " << path << ": " << error_text(error.error)
              << "\nЗагруженные до ошибки счета остаются; повторный запуск продолжит (они будут "
              << "в «уже были»).\n";
    return kFailed;
  }
  progress.finish();
  print_import_report(path, total, lottery);
  return total.refusals.count() == 0 ? kOk : kFailed;
}

int verify_from_database(db::Database& database, LotteryId id) {
  if (!require_current_schema(database)) return kFailed;
  bool drawn = false;
  const auto draw = load_draw(database, id, drawn);
  if (!draw) {
    return lottery_not_found(id);
  }
  if (!drawn) {
    std::cerr << "lotteryctl: розыгрыш #" << id.value()
              << " ещё не проведён или проведён до проверяемых розыгрышей\n";
    return kFailed;
  }
  system::HmacDrawRandomness cryptography;
  const DrawCheck check = verify_draw(cryptography, *draw);
  print_check(check, *draw);
  return check.ok() ? kOk : kFailed;
}

// verify-draw from published data alone; every option checked before anything runs.
int verify_from_files(const std::vector<std::string>& arguments) {
  PublishedDraw draw;
  std::optional<LotteryId> lottery;
  std::optional<Digest> seed;
  std::string entries_path;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& name = arguments[i];
    if (i + 1 >= arguments.size()) return usage_error("verify-draw: нет значения у " + name);
    const std::string& value = arguments[++i];
    if (name == "--lottery") {
      lottery = parse_lottery(value);
      if (!lottery) return usage_error("verify-draw: --lottery: ожидается номер розыгрыша");
    } else if (name == "--seed") {
      seed = parse_hex_digest(value);
      if (!seed) return usage_error("verify-draw: --seed: ожидается 64 шестнадцатеричные цифры");
    } else if (name == "--entries") {
      entries_path = value;
    } else if (name == "--public") {
      draw.public_value = value;
    } else if (name == "--skipped" || name == "--winners") {
      const auto ordinals = parse_ordinals(value);
      if (!ordinals) return usage_error("verify-draw: " + name + ": ожидается список 3,8,15");
      (name == "--skipped" ? draw.skipped : draw.winners) = *ordinals;
    } else if (name == "--places") {
      const auto places = parse_ordinals(value);
      if (!places || places->size() != 1 || places->front() == 0 || places->front() > 1000) {
        return usage_error("verify-draw: --places: ожидается число мест");
      }
      draw.places = places->front();
    } else if (name == "--entries-hash" || name == "--commitment") {
      const auto digest = parse_hex_digest(value);
      if (!digest)
        return usage_error("verify-draw: " + name + ": ожидается 64 шестнадцатеричные цифры");
      (name == "--commitment" ? draw.commitment : draw.entries_hash) = digest;
    } else {
      return usage_error("verify-draw: неизвестный параметр " + name);
    }
  }
  if (!lottery || !seed || entries_path.empty()) {
    return usage_error("verify-draw: нужны --lottery, --seed и --entries");
  }
  if (draw.winners.empty() && draw.places == 0) {
    return usage_error("verify-draw: укажите --winners или --places");
  }
  draw.lottery = *lottery;
  draw.seed = *seed;
  std::string error;
  const auto entries = read_entries(entries_path, error);
  if (!entries) {
    std::cerr << "lotteryctl: " << error << '\n';
    return kFailed;
  }
  draw.entries = *entries;
  system::HmacDrawRandomness cryptography;
  const DrawCheck check = verify_draw(cryptography, draw);
  print_check(check, draw);
  return check.ok() ? kOk : kFailed;
}

int run(int argc, char** argv) {
  Options options;
  if (const auto error = parse_options(argc, argv, options)) return usage_error(*error);
  // `lotteryctl КОМАНДА --help` too: the help covers every command.
  for (const auto& argument : options.arguments) {
    if (argument == "--help" || argument == "-h") options.command = "help";
  }
  if (options.command.empty()) return usage_error("не указана команда");
  if (options.command == "help") {
    std::cout << kHelp;
    return kOk;
  }
  // Every argument is checked before the database is touched.
  bool confirmed = false;
  bool csv = false;
  std::string which;
  std::optional<LotteryId> lottery_argument;
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
  } else if (options.command == "verify-draw") {
    const bool from_files =
        !options.arguments.empty() && options.arguments.front().rfind("--", 0) == 0;
    if (from_files) return verify_from_files(options.arguments);
    if (options.arguments.size() != 1 || !parse_lottery(options.arguments.front())) {
      return usage_error("verify-draw: ожидается номер розыгрыша или параметры --lottery …");
    }
    lottery_argument = parse_lottery(options.arguments.front());
  } else if (options.command == "export") {
    const auto& arguments = options.arguments;
    const bool entries = arguments.size() == 2 && arguments[0] == "entries";
    const bool winners = arguments.size() == 3 && arguments[0] == "winners" &&
                         (arguments[2] == "--csv" || arguments[2] == "--json");
    if ((!entries && !winners) || !parse_lottery(arguments[1])) {
      return usage_error(
          "export: ожидается «export entries ID» или «export winners ID --csv|--json»");
    }
    lottery_argument = parse_lottery(arguments[1]);
    which = arguments[0];
    csv = winners && arguments[2] == "--csv";
  } else if (options.command == "audit") {
    for (const auto& argument : options.arguments) {
      if (argument == "--csv") {
        csv = true;
      } else if (!lottery_argument && parse_lottery(argument)) {
        lottery_argument = parse_lottery(argument);
      } else {
        return usage_error("audit: лишний параметр " + argument);
      }
    }
    if (!lottery_argument) return usage_error("audit: укажите номер розыгрыша");
  } else if (options.command == "import") {
    const auto& arguments = options.arguments;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
      if (arguments[i] == "--lottery") {
        if (i + 1 >= arguments.size() || !parse_lottery(arguments[i + 1])) {
          return usage_error("import: --lottery: ожидается номер розыгрыша");
        }
        lottery_argument = parse_lottery(arguments[++i]);
      } else if (which.empty() && arguments[i].rfind('-', 0) != 0) {
        which = arguments[i];
      } else {
        return usage_error("import: лишний параметр " + arguments[i]);
      }
    }
    if (which.empty()) return usage_error("import: укажите файл CSV");
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
  if (options.command == "export") {
    return which == "entries" ? export_entries(*database, *lottery_argument)
                              : export_winners(*database, *lottery_argument, !csv);
  }
  if (options.command == "verify-draw") return verify_from_database(*database, *lottery_argument);
  if (options.command == "audit") return audit(*database, *lottery_argument, csv);
  if (options.command == "import") return import_accounts(*database, which, lottery_argument);
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
