#pragma once

// Reading what people type: commands, their words, ids.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lottery::chat {

// A command split off a message: "/draw@club_bot 5" gives "draw", "club_bot", "5".
struct CommandLine {
  std::string name;  // lower case
  std::string addressee;
  std::string arguments;  // the rest of the text, trimmed
};

// The text without surrounding spaces, tabs and line breaks.
[[nodiscard]] std::string_view trim(std::string_view text);
[[nodiscard]] std::optional<CommandLine> parse_command_line(std::string_view text);
// The words of `text`, split at white space.
[[nodiscard]] std::vector<std::string> words(std::string_view text);
// Equal but for the case of Latin letters, and «Пропустить» in either case.
[[nodiscard]] bool equals_ignoring_case(std::string_view a, std::string_view b);

// A positive whole number as typed (digits only); nothing for anything else (signs,
// letters, overflow).
[[nodiscard]] inline std::optional<std::int64_t> parse_positive(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// A positive id as typed.
template <class Id>
std::optional<Id> parse_id(std::string_view text) {
  const auto value = parse_positive(text);
  return value ? std::optional<Id>{Id{*value}} : std::nullopt;
}

}  // namespace lottery::chat
