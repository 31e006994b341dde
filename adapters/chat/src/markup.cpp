#include "lottery/chat/markup.hpp"

#include <vector>

namespace lottery::chat {
namespace {

constexpr char kButtonSeparator = '\x1f';
constexpr char kFieldSeparator = '\x1e';
constexpr std::string_view kUrlPrefix = "url:";
constexpr std::string_view kWebAppPrefix = "webapp:";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Button texts are single lines; a control character would break the encoding.
std::string clean(const std::string& text) {
  std::string cleaned = text;
  for (char& c : cleaned) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return cleaned;
}

}  // namespace

std::string encode_markup(const Markup& markup) {
  std::string text;
  switch (markup.kind) {
    case Markup::Kind::kNone:
      return {};
    case Markup::Kind::kRemoveKeyboard:
      return "remove";
    case Markup::Kind::kInline:
      text = "inline";
      for (const auto& row : markup.inline_rows) {
        text.push_back('\n');
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i > 0) text.push_back(kButtonSeparator);
          text += clean(row[i].text);
          text.push_back(kFieldSeparator);
          text += clean(row[i].data);
          if (!row[i].url.empty()) {
            // A third field for a link button (older rows in the outbox have two).
            text.push_back(kFieldSeparator);
            text += row[i].web_app ? kWebAppPrefix : kUrlPrefix;
            text += clean(row[i].url);
          }
        }
      }
      return text;
    case Markup::Kind::kKeyboard:
      text = "keyboard";
      for (const auto& row : markup.keyboard_rows) {
        text.push_back('\n');
        for (std::size_t i = 0; i < row.size(); ++i) {
          if (i > 0) text.push_back(kButtonSeparator);
          text += clean(row[i].text);
          text.push_back(kFieldSeparator);
          text += row[i].request_contact ? "contact" : "";
        }
      }
      return text;
  }
  return {};
}

std::optional<Markup> decode_markup(std::string_view text) {
  Markup markup;
  if (text.empty()) return markup;
  const auto lines = split(text, '\n');
  if (lines.front() == "remove" && lines.size() == 1) {
    markup.kind = Markup::Kind::kRemoveKeyboard;
    return markup;
  }
  const bool is_inline = lines.front() == "inline";
  if (!is_inline && lines.front() != "keyboard") return std::nullopt;
  markup.kind = is_inline ? Markup::Kind::kInline : Markup::Kind::kKeyboard;
  for (std::size_t line = 1; line < lines.size(); ++line) {
    std::vector<InlineButton> inline_row;
    std::vector<KeyboardButton> keyboard_row;
    for (const auto button : split(lines[line], kButtonSeparator)) {
      const auto fields = split(button, kFieldSeparator);
      if (fields.size() != 2 && !(is_inline && fields.size() == 3)) return std::nullopt;
      if (is_inline) {
        InlineButton decoded{std::string(fields[0]), std::string(fields[1])};
        if (fields.size() == 3) {
          decoded.web_app = fields[2].starts_with(kWebAppPrefix);
          if (!decoded.web_app && !fields[2].starts_with(kUrlPrefix)) return std::nullopt;
          decoded.url = std::string(
              fields[2].substr(decoded.web_app ? kWebAppPrefix.size() : kUrlPrefix.size()));
        }
        inline_row.push_back(std::move(decoded));
      } else {
        keyboard_row.push_back(KeyboardButton{std::string(fields[0]), fields[1] == "contact"});
      }
    }
    if (is_inline) {
      markup.inline_rows.push_back(std::move(inline_row));
    } else {
      markup.keyboard_rows.push_back(std::move(keyboard_row));
    }
  }
  return markup;
}

}  // namespace lottery::chat
