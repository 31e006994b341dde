#pragma once

// CSV as both exports write it (RFC 4180): one writer, so the chat's /export and
// `lotteryctl export winners --csv` are the same bytes.

#include <span>
#include <string>
#include <string_view>

namespace lottery {

// The field as is, or in double quotes (inner quotes doubled) when it holds a comma, a
// quote or a line break.
[[nodiscard]] std::string csv_field(std::string_view value);

// The fields joined by commas, ending in CRLF.
[[nodiscard]] std::string csv_line(std::span<const std::string> fields);
[[nodiscard]] std::string csv_line(std::span<const std::string_view> fields);

// A byte order mark, so that spreadsheets open the file as UTF-8.
inline constexpr std::string_view kCsvByteOrderMark = "\xEF\xBB\xBF";

}  // namespace lottery
