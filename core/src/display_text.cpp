#include "lottery/core/display_text.hpp"

#include <cstdint>

namespace lottery {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the UTF-8 sequence starting at `text[at]` and its code point; 0 when
// the bytes there are not a valid (shortest-form, non-surrogate) sequence.
std::size_t decode(std::string_view text, std::size_t at, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80U) {
    code_point = lead;
    return 1;
  }
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    minimum = 0x80;
    code_point = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    minimum = 0x800;
    code_point = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    minimum = 0x10000;
    code_point = lead & 0x07U;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0U) != 0x80U) return 0;
    code_point = (code_point << 6U) | (byte(i) & 0x3FU);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

bool breaks_the_line(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

bool reorders(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Shows nothing, so a name with it looks like one without: zero-width space, word
// joiner and invisible operators, the byte order mark, soft hyphen, Mongolian vowel
// separator, Hangul fillers. (The zero-width joiner stays: emoji are built with it.)
bool invisible(char32_t c) {
  return c == 0x00AD || c == 0x115F || c == 0x1160 || c == 0x180E || c == 0x200B ||
         (c >= 0x2060 && c <= 0x2064) || c == 0x3164 || c == 0xFEFF || c == 0xFFA0;
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    char32_t code_point = 0;
    const std::size_t length = decode(text, at, code_point);
    if (length == 0) {
      line += kReplacement;
      ++at;
      continue;
    }
    if (breaks_the_line(code_point)) {
      line.push_back(' ');
    } else if (!reorders(code_point) && !invisible(code_point)) {
      line.append(text.substr(at, length));
    }
    at += length;
  }
  return line;
}

}  // namespace lottery
