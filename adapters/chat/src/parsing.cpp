#include "parsing.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "texts.hpp"

namespace lottery::chat {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<CommandLine> parse_command_line(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.front() != '/') return std::nullopt;
  const auto end = text.find_first_of(" \t\r\n");
  std::string_view head = text.substr(1, end == std::string_view::npos ? end : end - 1);
  CommandLine command;
  if (const auto at = head.find('@'); at != std::string_view::npos) {
    command.addressee = std::string(head.substr(at + 1));
    head = head.substr(0, at);
  }
  command.name = std::string(head);
  std::transform(command.name.begin(), command.name.end(), command.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (end != std::string_view::npos) command.arguments = std::string(trim(text.substr(end)));
  return command;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> list;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) list.push_back(word);
  return list;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  // Russian letters differ in case by their second UTF-8 byte; comparing the two
  // spellings the button and people use is enough here.
  if (a == b) return true;
  std::string lower_a(a);
  std::string lower_b(b);
  for (auto* text : {&lower_a, &lower_b}) {
    std::transform(text->begin(), text->end(), text->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return lower_a == lower_b || (a == text::kSkipTyped && b == text::kSkip) ||
         (b == text::kSkipTyped && a == text::kSkip);
}

}  // namespace lottery::chat
