// The three reports of SPEC §6 and the winners' file.

#include "handlers.hpp"
#include "lottery/core/query_service.hpp"
#include "texts.hpp"

namespace lottery::chat::handlers {
namespace {

std::string card_or_dash(const std::optional<ClubCard>& card) {
  return card ? text::escape(card->str()) : "—";
}

}  // namespace

void stats(const CommandCall& /*call*/, Conversation& conversation) {
  const auto stats =
      conversation.checked(QueryService(conversation.deps).stats(conversation.requester()));
  if (!stats) {
    conversation.reply_error(stats.error());
    return;
  }
  std::string html = "📊 <b>Победители по клубным картам</b>\n";
  if (stats->winners_by_card.empty()) html += "нет\n";
  for (const auto& row : stats->winners_by_card) {
    html += text::escape(row.club_card.str()) + " " + text::escape(row.first_name) +
            ": выигрышей " + std::to_string(row.total_wins) + ", подтверждено " +
            std::to_string(row.claimed_wins) + "\n";
  }
  html += "\n📊 <b>Счета с наибольшим числом участий</b>\n";
  if (stats->top_accounts.empty()) html += "нет\n";
  for (const auto& row : stats->top_accounts) {
    html += row.account.str() + " (КК " + card_or_dash(row.club_card) +
            "): " + std::to_string(row.participations) + "\n";
  }
  html += "\n📊 <b>Невостребованные выигрыши старше срока</b>\n";
  if (stats->unclaimed.empty()) html += "нет\n";
  for (const auto& row : stats->unclaimed) {
    html += "#" + std::to_string(row.lottery.value()) + " " + text::title(row.lottery_title) +
            ", " + text::place_and_prize(row.place, row.prize) + ", счет " + row.account.str() +
            " (КК " + card_or_dash(row.club_card) + ")\n";
  }
  conversation.reply(html);
}

// The winners as a CSV file; made when it is sent, so it shows the latest statuses.
void export_winners(const CommandCall& call, Conversation& conversation) {
  const auto lottery = lottery_argument(call, conversation);
  if (!lottery) return;
  const LotteryId id = lottery->id;
  if (!lottery->drawn_at) {
    conversation.reply("Розыгрыш #" + std::to_string(id.value()) +
                       " ещё не проведён: победителей нет.");
    return;
  }
  Notification file;
  file.chat = conversation.chat;
  file.kind = NotificationKind::kWinnersExport;
  file.lottery = id;
  file.lottery_title = lottery->title;
  file.created_at = conversation.now;
  conversation.notices.push_back(file);
}

}  // namespace lottery::chat::handlers
