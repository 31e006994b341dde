#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace lottery::ctl {

// A report as rows of cells under a header, printed aligned for people or as CSV.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns
  std::vector<std::vector<std::string>> rows;
};

// Columns padded to their widest cell (counting characters, not bytes), separated by
// two spaces, with a rule under the header.
void print_aligned(std::ostream& out, const Table& table);

// RFC 4180: comma-separated, fields with commas, quotes or line breaks quoted.
void print_csv(std::ostream& out, const Table& table);

}  // namespace lottery::ctl
