#pragma once

// The import file (lotteryctl import): read line by line through a fixed buffer, each
// line checked, and a refused line shown so that it cannot drive the operator's terminal.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/error.hpp"
#include "lottery/ports/account_repository.hpp"

namespace lottery::ctl {

// A longer line is refused; of it only this much is ever held in memory.
inline constexpr std::size_t kMaxLineBytes = 1'024;
// The characters of a refused line the report shows.
inline constexpr std::size_t kShownCharacters = 80;

// A failed read of the file, with its errno.
struct ReadError {
  int error{0};
};

// What an operating system error means, in the words of the report.
[[nodiscard]] std::string error_text(int error);

// The file to import, open for reading, and its size (0 for a pipe or a device); -1
// after saying why it cannot be read.
[[nodiscard]] int open_import_file(const std::string& path, std::uint64_t& size);

// The import file's lines that hold data: not blank, not the header, without a byte order
// mark or the carriage return of a Windows line end. Read through a fixed buffer, whatever
// the file: of a line longer than kMaxLineBytes only the start is kept and the rest
// skipped.
class ImportReader {
 public:
  struct Line {
    std::size_t number{0};  // 1-based
    std::string_view text;  // valid until the next call
    bool too_long{false};
  };

  // Takes over `fd` and closes it.
  explicit ImportReader(int fd);
  ~ImportReader();
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

// One line of the file: "card,number" ("card;number"), or a bare number.
[[nodiscard]] Result<AccountImportRow> parse_import_line(std::string_view line);

// Why a line was refused, for the report.
[[nodiscard]] std::string_view refusal_reason(const Error& error);
[[nodiscard]] std::string_view too_long_reason();

// A refused line as the report shows it: control characters (C0, DEL, C1) and bytes that
// are not UTF-8 as \xNN, so that nothing in the file can drive the operator's terminal;
// at most kShownCharacters characters, then «…».
[[nodiscard]] std::string printable(std::string_view text);

}  // namespace lottery::ctl
