#include "lottery/core/draw_verification.hpp"

#include "lottery/core/draw.hpp"

namespace lottery {

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
