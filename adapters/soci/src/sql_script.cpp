#include "sql_script.hpp"

#include <algorithm>
#include <cctype>

namespace lottery::db {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// A trigger's body holds statements of its own; it ends with END.
bool inside_trigger_body(const std::string& statement) {
  const std::string head = upper(trimmed(statement));
  if (head.rfind("CREATE TRIGGER", 0) != 0 && head.rfind("CREATE TEMP TRIGGER", 0) != 0) {
    return false;
  }
  return head.size() < 3 || head.compare(head.size() - 3, 3, "END") != 0;
}

// Copies the quoted literal that starts at `start` into `out`; '' is an escaped quote
// and stays inside. Returns the position after the closing quote.
std::size_t copy_quoted(std::string_view script, std::size_t start, std::string& out) {
  std::size_t i = start;
  out.push_back(script[i++]);
  while (i < script.size()) {
    out.push_back(script[i]);
    if (script[i] == '\'') {
      if (i + 1 < script.size() && script[i + 1] == '\'') {
        out.push_back(script[++i]);
      } else {
        return i + 1;
      }
    }
    ++i;
  }
  return i;
}

}  // namespace

std::vector<std::string> split_sql_script(std::string_view script) {
  std::vector<std::string> statements;
  std::string current;
  std::size_t i = 0;
  const auto emit = [&] {
    std::string statement = trimmed(current);
    if (!statement.empty()) statements.push_back(std::move(statement));
    current.clear();
  };
  while (i < script.size()) {
    const char c = script[i];
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      continue;
    }
    if (c == '\'') {
      i = copy_quoted(script, i, current);
      continue;
    }
    if (c == '$') {
      // A dollar-quoted body: $tag$ ... $tag$.
      const auto close = script.find('$', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view tag = script.substr(i, close - i + 1);
        const bool is_tag = std::all_of(tag.begin() + 1, tag.end() - 1, [](char t) {
          return std::isalnum(static_cast<unsigned char>(t)) || t == '_';
        });
        if (is_tag) {
          const auto end = script.find(tag, close + 1);
          const auto stop = end == std::string_view::npos ? script.size() : end + tag.size();
          current.append(script.substr(i, stop - i));
          i = stop;
          continue;
        }
      }
    }
    if (c == ';' && !inside_trigger_body(current)) {
      emit();
      ++i;
      continue;
    }
    current.push_back(c);
    ++i;
  }
  emit();
  return statements;
}

}  // namespace lottery::db
