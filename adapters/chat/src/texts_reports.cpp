#include "texts_reports.hpp"

#include "texts.hpp"

namespace lottery::chat::text::reports {
namespace {

std::string card_or_dash(const std::optional<ClubCard>& card) {
  return card ? text::escape(card->str()) : std::string("—");
}

}  // namespace

std::string stats(const Stats& stats, bool more_accounts, const TimeZone& zone) {
  std::string html = "📊 <b>Победители по клубным картам</b>\n";
  if (stats.winners_by_card.empty()) html += "нет\n";
  for (const auto& row : stats.winners_by_card) {
    html += (row.club_card ? text::escape(row.club_card->str()) + " " + text::escape(row.first_name)
                           : std::string(kNoData)) +
            ": выигрышей " + std::to_string(row.total_wins) + ", подтверждено " +
            std::to_string(row.claimed_wins) + "\n";
  }
  html += "\n📊 <b>Счета с наибольшим числом участий</b>\n";
  if (stats.top_accounts.empty()) html += "нет\n";
  for (const auto& row : stats.top_accounts) {
    html += row.account.str() + " (КК " + card_or_dash(row.club_card) +
            "): " + std::to_string(row.participations) + "\n";
  }
  if (more_accounts) html += "… полный список: lotteryctl report top-accounts\n";
  html += "\n📊 <b>Невостребованные выигрыши старше срока</b>\n";
  if (stats.unclaimed.empty()) html += "нет\n";
  for (const auto& row : stats.unclaimed) {
    html += "#" + std::to_string(row.lottery.value()) + " " + text::title(row.lottery_title) +
            ", " + text::place_and_prize(row.place, row.prize) + ", счет " + row.account.str() +
            " (КК " + card_or_dash(row.club_card) + "), срок истек " +
            text::moment(row.deadline, zone) + "\n";
  }
  return html;
}

std::string not_drawn(LotteryId lottery) {
  return "Розыгрыш #" + std::to_string(lottery.value()) + " ещё не проведён: победителей нет.";
}

}  // namespace lottery::chat::text::reports
