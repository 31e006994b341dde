#include "lottery/core/draw_publication.hpp"

#include <algorithm>

namespace lottery {

std::vector<std::string> entries_csv_parts(const std::vector<AccountNumber>& entries,
                                           std::size_t max_part_bytes) {
  std::vector<std::string> parts(1, std::string(kEntriesCsvHeader));
  for (std::size_t ordinal = 0; ordinal < entries.size(); ++ordinal) {
    std::string line = std::to_string(ordinal) + "," + entries[ordinal].str() + "\n";
    if (parts.back().size() + line.size() > max_part_bytes && !parts.back().empty()) {
      parts.emplace_back();
    }
    parts.back() += line;
  }
  return parts;
}

std::string entries_file_name(LotteryId lottery, std::size_t part, std::size_t parts) {
  std::string name = "lottery-" + std::to_string(lottery.value()) + "-entries";
  if (parts > 1) name += "-part" + std::to_string(part) + "-of-" + std::to_string(parts);
  return name + ".csv";
}

std::vector<Winner> wins_in_draw_order(Transaction& transaction, LotteryId lottery) {
  auto wins = transaction.winners().list_by_lottery(lottery);
  std::sort(wins.begin(), wins.end(),
            [](const Winner& a, const Winner& b) { return a.draw_step < b.draw_step; });
  return wins;
}

}  // namespace lottery
