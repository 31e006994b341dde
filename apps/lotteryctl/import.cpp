// import: accounts from a CSV file, in batches, with a report of what went in and what
// was refused.

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "commands.hpp"
#include "import_file.hpp"
#include "lottery/core/account_service.hpp"

namespace lottery::ctl {
namespace {

constexpr std::size_t kImportBatch = 100'000;
constexpr std::size_t kRefusedShown = 1'000;

// A refused line, for the report.
struct Refusal {
  std::size_t line{0};
  std::string text;
  std::string_view reason;  // refusal_reason()'s or too_long_reason()'s static text
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

// Reads, checks and imports every batch of the file; the exit code when it stopped
// early, nothing when every batch went in (refused lines included).
std::optional<int> import_batches(db::Database& database, ImportReader& reader,
                                  const std::string& path, std::optional<LotteryId> lottery,
                                  const Progress& progress, ImportTotals& total) {
  SystemPorts ports;
  AccountService accounts(ports.dependencies(database));
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
  return std::nullopt;
}

int import_accounts(db::Database& database, const std::string& path,
                    std::optional<LotteryId> lottery) {
  std::uint64_t size = 0;
  const int fd = open_import_file(path, size);
  if (fd < 0) return kFailed;
  ImportReader reader(fd);
  if (!require_current_schema(database)) return kFailed;

  ImportTotals total;
  const Progress progress(size);
  if (const auto stopped = import_batches(database, reader, path, lottery, progress, total)) {
    return *stopped;
  }
  progress.finish();
  print_import_report(path, total, lottery);
  return total.refusals.count() == 0 ? kOk : kFailed;
}

}  // namespace

int run_import(const Invocation& invocation) {
  const auto& arguments = invocation.arguments;
  std::string path;
  std::optional<LotteryId> lottery;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--lottery") {
      if (i + 1 >= arguments.size() || !parse_lottery(arguments[i + 1])) {
        return usage_error("import: --lottery: ожидается номер розыгрыша");
      }
      lottery = parse_lottery(arguments[++i]);
    } else if (path.empty() && arguments[i].rfind('-', 0) != 0) {
      path = arguments[i];
    } else {
      return usage_error("import: лишний параметр " + arguments[i]);
    }
  }
  if (path.empty()) return usage_error("import: укажите файл CSV");
  const auto database = open_database(invocation);
  return import_accounts(*database, path, lottery);
}

}  // namespace lottery::ctl
