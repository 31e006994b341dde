#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery {

// The published form of a drawn lottery (docs/FAIRNESS.md): what the bot posts and
// serves so that anyone can check the draw.

inline constexpr std::string_view kEntriesCsvHeader = "ordinal,account_number\n";
// Telegram takes documents up to 50 MB; a part stays below it with room to spare.
inline constexpr std::size_t kMaxEntriesPartBytes = 48ULL * 1024 * 1024;

// The entry list as CSV — the header, then one "ordinal,account_number" LF line per
// entry in ordinal order — cut between lines into parts of at most `max_part_bytes`
// (the header in the first only), so that their concatenation is the whole list: the
// bytes of `lotteryctl export entries`. An empty list is the header alone.
[[nodiscard]] std::vector<std::string> entries_csv_parts(
    const std::vector<AccountNumber>& entries, std::size_t max_part_bytes = kMaxEntriesPartBytes);

// The same parts read from the store in slices, without holding the list twice.
[[nodiscard]] std::vector<std::string> entries_csv_parts(
    Transaction& transaction, LotteryId lottery, std::size_t max_part_bytes = kMaxEntriesPartBytes);

// The file name of part `part` (1-based) of `parts` of a lottery's entry list.
[[nodiscard]] std::string entries_file_name(LotteryId lottery, std::size_t part, std::size_t parts);

// Every win of the lottery, all rounds, in the order the shuffle picked them (the
// draw's places, then each redraw's).
[[nodiscard]] std::vector<Winner> wins_in_draw_order(Transaction& transaction, LotteryId lottery);

// The winning accounts of these wins in the order the shuffle picked them: the line
// «Выигравшие счета по порядку розыгрыша» of the published data.
[[nodiscard]] std::vector<AccountNumber> accounts_in_draw_order(std::vector<Winner> wins);

// A win as published: its entry's ordinal beside it.
struct PublishedWin {
  std::uint64_t ordinal{0};
  Winner win;
};
// The wins in draw order with their ordinals, one index lookup each: what draw.json
// needs without reading the entry list.
[[nodiscard]] std::vector<PublishedWin> published_wins(Transaction& transaction, LotteryId lottery);

}  // namespace lottery
