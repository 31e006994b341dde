#include "table.hpp"

#include <algorithm>

#include "lottery/core/csv.hpp"
#include "lottery/core/display_text.hpp"

namespace lottery::ctl {
namespace {

// Characters in UTF-8 text: every byte that does not continue a sequence.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

void print_aligned(std::ostream& out, const Table& raw) {
  // A terminal shows each cell as one line of what it says (names come from Telegram).
  Table table = raw;
  for (auto& row : table.rows) {
    for (auto& cell : row) cell = one_line(cell);
  }
  std::vector<std::size_t> widths(table.header.size());
  for (std::size_t column = 0; column < widths.size(); ++column) {
    widths[column] = display_width(table.header[column]);
    for (const auto& row : table.rows) {
      widths[column] = std::max(widths[column], display_width(row[column]));
    }
  }
  const auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t column = 0; column < row.size(); ++column) {
      const std::string padding(widths[column] - display_width(row[column]), ' ');
      const bool right = column < table.numeric.size() && table.numeric[column];
      if (column > 0) line += "  ";
      line += right ? padding + row[column] : row[column] + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  };
  print_row(table.header);
  std::string rule;
  for (std::size_t column = 0; column < widths.size(); ++column) {
    if (column > 0) rule += "  ";
    for (std::size_t i = 0; i < widths[column]; ++i) rule += "─";
  }
  out << rule << '\n';
  for (const auto& row : table.rows) print_row(row);
}

void print_csv(std::ostream& out, const Table& table) {
  out << csv_line(table.header);
  for (const auto& row : table.rows) out << csv_line(row);
}

}  // namespace lottery::ctl
