#include "lottery/core/csv.hpp"

namespace lottery {
namespace {

template <class Field>
std::string join(std::span<const Field> fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_field(fields[i]);
  }
  return line + "\r\n";
}

}  // namespace

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_line(std::span<const std::string> fields) { return join(fields); }
std::string csv_line(std::span<const std::string_view> fields) { return join(fields); }

}  // namespace lottery
