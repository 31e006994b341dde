#pragma once

// multipart/form-data as the fake Bot API reads it (sendDocument): enough for the
// requests our own client makes, not a general parser.

#include <map>
#include <optional>
#include <string>

namespace lottery::testing {

struct FormPart {
  std::string file_name;  // empty for a plain field
  std::string value;
};

// The parts by name; nothing when the content type is not multipart with a boundary.
[[nodiscard]] std::optional<std::map<std::string, FormPart>> parse_multipart(
    const std::string& body, const std::string& content_type);

}  // namespace lottery::testing
