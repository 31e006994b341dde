#include "lottery/core/draw_publication.hpp"

#include <algorithm>

#include "support.hpp"

namespace lottery {

namespace {

// Appends one entry's line, starting a new part when this one would grow too large.
void append_entry(std::vector<std::string>& parts, std::uint64_t ordinal,
                  const AccountNumber& number, std::size_t max_part_bytes) {
  std::string line = std::to_string(ordinal) + "," + number.str() + "\n";
  if (parts.back().size() + line.size() > max_part_bytes && !parts.back().empty()) {
    parts.emplace_back();
  }
  parts.back() += line;
}

std::vector<Winner> sorted_in_draw_order(std::vector<Winner> wins) {
  std::sort(wins.begin(), wins.end(),
            [](const Winner& a, const Winner& b) { return a.draw_step < b.draw_step; });
  return wins;
}

}  // namespace

std::vector<std::string> entries_csv_parts(const std::vector<AccountNumber>& entries,
                                           std::size_t max_part_bytes) {
  std::vector<std::string> parts(1, std::string(kEntriesCsvHeader));
  for (std::size_t ordinal = 0; ordinal < entries.size(); ++ordinal) {
    append_entry(parts, ordinal, entries[ordinal], max_part_bytes);
  }
  return parts;
}

std::vector<std::string> entries_csv_parts(Transaction& transaction, LotteryId lottery,
                                           std::size_t max_part_bytes) {
  std::vector<std::string> parts(1, std::string(kEntriesCsvHeader));
  detail::for_each_entry(transaction, lottery, 0, transaction.entries().count(lottery),
                         [&](const Entry& entry) {
                           append_entry(parts, entry.ordinal, entry.number, max_part_bytes);
                         });
  return parts;
}

std::string entries_file_name(LotteryId lottery, std::size_t part, std::size_t parts) {
  std::string name = "lottery-" + std::to_string(lottery.value()) + "-entries";
  if (parts > 1) name += "-part" + std::to_string(part) + "-of-" + std::to_string(parts);
  return name + ".csv";
}

std::vector<Winner> wins_in_draw_order(Transaction& transaction, LotteryId lottery) {
  return sorted_in_draw_order(transaction.winners().list_by_lottery(lottery));
}

std::vector<AccountNumber> accounts_in_draw_order(std::vector<Winner> wins) {
  std::vector<AccountNumber> accounts;
  for (const Winner& win : sorted_in_draw_order(std::move(wins))) {
    accounts.push_back(win.account_number);
  }
  return accounts;
}

std::vector<PublishedWin> published_wins(Transaction& transaction, LotteryId lottery) {
  std::vector<PublishedWin> published;
  for (Winner& win : wins_in_draw_order(transaction, lottery)) {
    // Every win is of an enrolled account: entries are never removed.
    const auto ordinal = transaction.entries().ordinal_of(lottery, win.account);
    if (ordinal) published.push_back(PublishedWin{*ordinal, std::move(win)});
  }
  return published;
}

}  // namespace lottery
