// verify-draw: recomputing a draw from the database, or from its published data alone
// (docs/FAIRNESS.md).

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"
#include "lottery/core/query_service.hpp"

namespace lottery::ctl {
namespace {

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

// Recomputes the draw with the real cryptography and prints what it found.
int check_draw(const PublishedDraw& draw) {
  system::HmacDrawRandomness cryptography;
  const DrawCheck check = verify_draw(cryptography, draw);
  print_check(check, draw);
  return check.ok() ? kOk : kFailed;
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
  return check_draw(*draw);
}

// verify-draw's options for a check from published data, as they are read.
struct PublishedOptions {
  PublishedDraw draw;  // without its lottery, seed and entries yet
  std::optional<LotteryId> lottery;
  std::optional<Digest> seed;
  std::string entries_path;
};

// Reads one option and its value; what is wrong with them, if anything.
std::optional<std::string> read_option(const std::string& name, const std::string& value,
                                       PublishedOptions& options) {
  PublishedDraw& draw = options.draw;
  if (name == "--lottery") {
    options.lottery = parse_lottery(value);
    if (!options.lottery) return "verify-draw: --lottery: ожидается номер розыгрыша";
  } else if (name == "--seed") {
    options.seed = parse_hex_digest(value);
    if (!options.seed) return "verify-draw: --seed: ожидается 64 шестнадцатеричные цифры";
  } else if (name == "--entries") {
    options.entries_path = value;
  } else if (name == "--public") {
    draw.public_value = value;
  } else if (name == "--skipped" || name == "--winners") {
    const auto ordinals = parse_ordinals(value);
    if (!ordinals) return "verify-draw: " + name + ": ожидается список 3,8,15";
    (name == "--skipped" ? draw.skipped : draw.winners) = *ordinals;
  } else if (name == "--places") {
    const auto places = parse_ordinals(value);
    if (!places || places->size() != 1 || places->front() == 0 || places->front() > 1000) {
      return "verify-draw: --places: ожидается число мест";
    }
    draw.places = places->front();
  } else if (name == "--entries-hash" || name == "--commitment") {
    const auto digest = parse_hex_digest(value);
    if (!digest) return "verify-draw: " + name + ": ожидается 64 шестнадцатеричные цифры";
    (name == "--commitment" ? draw.commitment : draw.entries_hash) = digest;
  } else {
    return "verify-draw: неизвестный параметр " + name;
  }
  return std::nullopt;
}

// Reads every option before anything runs; what is wrong with them, if anything.
std::optional<std::string> read_options(const std::vector<std::string>& arguments,
                                        PublishedOptions& options) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& name = arguments[i];
    if (i + 1 >= arguments.size()) return "verify-draw: нет значения у " + name;
    if (auto error = read_option(name, arguments[++i], options)) return error;
  }
  if (!options.lottery || !options.seed || options.entries_path.empty()) {
    return "verify-draw: нужны --lottery, --seed и --entries";
  }
  if (options.draw.winners.empty() && options.draw.places == 0) {
    return "verify-draw: укажите --winners или --places";
  }
  return std::nullopt;
}

// verify-draw from published data alone, without the database.
int verify_from_files(const std::vector<std::string>& arguments) {
  PublishedOptions options;
  if (const auto error = read_options(arguments, options)) return usage_error(*error);
  PublishedDraw& draw = options.draw;
  draw.lottery = *options.lottery;
  draw.seed = *options.seed;
  std::string error;
  const auto entries = read_entries(options.entries_path, error);
  if (!entries) {
    std::cerr << "lotteryctl: " << error << '\n';
    return kFailed;
  }
  draw.entries = *entries;
  return check_draw(draw);
}

}  // namespace

std::optional<PublishedDraw> load_draw(db::Database& database, LotteryId id, bool& drawn) {
  auto transaction = database.begin();
  auto record = published_draw(*transaction, id);
  if (!record) return std::nullopt;
  drawn = record->verifiable;
  return std::move(record->draw);
}

int run_verify_draw(const Invocation& invocation) {
  const auto& arguments = invocation.arguments;
  const bool from_files = !arguments.empty() && arguments.front().rfind("--", 0) == 0;
  if (from_files) return verify_from_files(arguments);
  const auto lottery = arguments.size() == 1 ? parse_lottery(arguments.front()) : std::nullopt;
  if (!lottery) {
    return usage_error("verify-draw: ожидается номер розыгрыша или параметры --lottery …");
  }
  const auto database = open_database(invocation);
  return verify_from_database(*database, *lottery);
}

}  // namespace lottery::ctl
