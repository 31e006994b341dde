#include "lottery/core/draw_verification.hpp"

#include "lottery/core/draw.hpp"

namespace lottery {

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(digest.size() * 2);
  for (const std::uint8_t byte : digest) {
    text.push_back(kHex[byte >> 4U]);
    text.push_back(kHex[byte & 0x0fU]);
  }
  return text;
}

std::optional<Digest> parse_hex_digest(std::string_view text) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Digest digest{};
  if (text.size() != digest.size() * 2) return std::nullopt;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    const int high = nibble(text[2 * i]);
    const int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return digest;
}

DrawCheck verify_draw(DrawRandomness& cryptography, const PublishedDraw& draw) {
  DrawCheck check;
  check.commitment = cryptography.commitment(draw.seed);
  if (draw.commitment && *draw.commitment != check.commitment) {
    check.problems.emplace_back("ключ не соответствует опубликованному хэшу ключа");
  }
  for (std::size_t ordinal = 0; ordinal < draw.entries.size(); ++ordinal) {
    check.entries_hash =
        cryptography.extend_entries(check.entries_hash, ordinal, draw.entries[ordinal]);
  }
  if (draw.entries_hash && *draw.entries_hash != check.entries_hash) {
    check.problems.emplace_back("список участников не соответствует опубликованному хэшу");
  }
  const auto stream = cryptography.stream(
      DrawInput{2, draw.lottery, draw.seed, check.entries_hash, draw.public_value});
  LazyShuffle shuffle(draw.entries.size(), *stream);
  const std::size_t wanted = draw.winners.empty() ? draw.places : draw.winners.size();
  std::size_t next_skipped = 0;
  while (check.winners.size() < wanted) {
    const auto position = shuffle.next();
    if (!position) break;
    if (next_skipped < draw.skipped.size() && draw.skipped[next_skipped] == *position) {
      ++next_skipped;
      continue;
    }
    check.winners.push_back(*position);
  }
  if (next_skipped != draw.skipped.size()) {
    check.problems.emplace_back("пропущенные позиции не совпадают с порядком жеребьёвки");
  }
  if (!draw.winners.empty() && draw.winners != check.winners) {
    check.problems.emplace_back("победители не совпадают с пересчитанными");
  }
  return check;
}

}  // namespace lottery
