// The three reports of SPEC §6 and the winners' file.

#include "handlers.hpp"
#include "lottery/core/query_service.hpp"
#include "texts_reports.hpp"

namespace lottery::chat::handlers {

void stats(const CommandCall& /*call*/, Conversation& conversation) {
  // One more than shown tells whether the list goes on (lotteryctl prints all of it).
  constexpr std::size_t kTopAccountsShown = 20;
  auto stats = conversation.checked(
      QueryService(conversation.deps).stats(conversation.requester(), kTopAccountsShown + 1));
  if (!stats) {
    conversation.reply_error(stats.error());
    return;
  }
  const bool more = stats->top_accounts.size() > kTopAccountsShown;
  if (more) stats->top_accounts.pop_back();
  conversation.reply(text::reports::stats(*stats, more, conversation.settings.zone()));
}

// The winners as a CSV file; made when it is sent, so it shows the latest statuses.
void export_winners(const CommandCall& call, Conversation& conversation) {
  const auto lottery = lottery_argument(call, conversation);
  if (!lottery) return;
  const LotteryId id = lottery->id;
  if (!lottery->drawn_at) {
    conversation.reply(text::reports::not_drawn(id));
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
