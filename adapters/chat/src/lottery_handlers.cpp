// Creating lotteries, enrolling accounts, drawing and redrawing, the published data.

#include <algorithm>

#include "buttons.hpp"
#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/query_service.hpp"
#include "messages.hpp"
#include "parsing.hpp"
#include "texts.hpp"
#include "texts_lotteries.hpp"

namespace lottery::chat::handlers {
namespace {

// From this many winner notifications on, /draw posts a progress message.
constexpr long kProgressFrom = 10;

}  // namespace

std::optional<LotteryId> only_lottery_id(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto lottery = args.size() == 1 ? parse_id<LotteryId>(args[0]) : std::nullopt;
  if (!lottery) answer_usage(call, conversation);
  return lottery;
}

std::optional<Lottery> lottery_argument(const CommandCall& call, Conversation& conversation) {
  auto info = lottery_info_argument(call, conversation);
  return info ? std::optional<Lottery>{std::move(info->lottery)} : std::nullopt;
}

std::optional<LotteryInfo> lottery_info_argument(const CommandCall& call,
                                                 Conversation& conversation) {
  const auto id = only_lottery_id(call, conversation);
  if (!id) return std::nullopt;
  auto info = conversation.checked(QueryService(conversation.deps).lottery_info(*id));
  if (!info) {
    conversation.reply(text::lotteries::not_found(*id));
    return std::nullopt;
  }
  return std::move(*info);
}

void new_lottery(const CommandCall& call, Conversation& conversation) {
  if (call.arguments.empty() || character_count(call.arguments) > Lottery::kMaxTitleLength) {
    answer_usage(call, conversation);
    return;
  }
  save_step(conversation, DialogueStep::kLotteryPrizes, call.arguments);
  conversation.reply(text::lotteries::ask_prizes(call.arguments));
}

void lottery_prizes(const Dialogue& dialogue, const IncomingMessage& message,
                    Conversation& conversation) {
  const auto prizes = LotteryService::parse_prizes(message.text);
  if (!prizes) {
    conversation.reply(text::try_again(conversation.error_text(prizes.error())));
    return;
  }
  const auto lottery = conversation.checked(
      LotteryService(conversation.deps).create(conversation.requester(), dialogue.data, *prizes));
  conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
  if (!lottery) {
    conversation.reply_error(lottery.error());
    return;
  }
  conversation.reply(text::lotteries::created(*lottery, conversation.deps.draw_randomness));
}

void lotteries(const CommandCall& /*call*/, Conversation& conversation) {
  const auto list =
      conversation.checked(LotteryService(conversation.deps).list(conversation.requester()));
  if (!list) {
    conversation.reply_error(list.error());
    return;
  }
  if (list->empty()) {
    conversation.reply(std::string(text::lotteries::kNone));
    return;
  }
  conversation.reply(text::lotteries::listing(*list));
}

void enroll(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto lottery = args.empty() ? std::nullopt : parse_id<LotteryId>(args[0]);
  if (!lottery || args.size() < 2) {
    answer_usage(call, conversation);
    return;
  }
  LotteryService lotteries(conversation.deps);
  Result<EnrolReport> report = fail(ErrorCode::kInvalidArgument);
  if (args.size() == 2 && args[1] == "all") {
    report = conversation.checked(lotteries.enrol_all_active(conversation.requester(), *lottery));
  } else {
    std::vector<AccountNumber> numbers;
    for (std::size_t i = 1; i < args.size(); ++i) {
      auto number = AccountNumber::parse(args[i]);
      if (!number) {
        conversation.reply_error(number.error());
        return;
      }
      numbers.push_back(*number);
    }
    report = conversation.checked(lotteries.enrol(conversation.requester(), *lottery, numbers));
  }
  if (!report) {
    conversation.reply_error(report.error());
    return;
  }
  conversation.reply(message::enrol_summary(*lottery, *report));
}

void draw(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto lottery = args.empty() ? std::nullopt : parse_id<LotteryId>(args[0]);
  if (!lottery) {
    answer_usage(call, conversation);
    return;
  }
  // Everything after the id, as typed: e.g. the numbers of a state lottery named in advance.
  const std::string_view rest = trim(call.arguments);
  const std::string_view public_value = trim(rest.substr(std::min(rest.size(), args[0].size())));
  const auto report = conversation.checked(
      LotteryService(conversation.deps).draw(conversation.requester(), *lottery, public_value));
  if (!report) {
    conversation.reply_error(report.error());
    return;
  }
  conversation.reply(text::lotteries::drawn(*report, conversation.deps.draw_randomness));
  // A big draw's notifications take a while at Telegram's 30 a second: a status
  // message under the report, edited as they go out.
  const auto notified = std::count_if(report->winners.begin(), report->winners.end(),
                                      [](const Winner& winner) { return winner.user; });
  if (notified >= kProgressFrom) {
    Notification status;
    status.chat = conversation.chat;
    status.kind = NotificationKind::kDrawProgress;
    status.lottery = *lottery;
    status.lottery_title = report->lottery.title;
    status.created_at = conversation.now;
    conversation.notices.push_back(status);
  }
}

void redraw(const CommandCall& call, Conversation& conversation) {
  const auto lottery = only_lottery_id(call, conversation);
  if (!lottery) return;
  const auto report = conversation.checked(
      LotteryService(conversation.deps).redraw(conversation.requester(), *lottery));
  if (!report) {
    conversation.reply_error(report.error());
    return;
  }
  conversation.reply(text::lotteries::redrawn(*lottery, *report));
}

void lottery_info(const CommandCall& call, Conversation& conversation) {
  const auto info = lottery_info_argument(call, conversation);
  if (!info) return;
  const Lottery& lottery = info->lottery;
  const std::string page = message::verifier_url(conversation.settings.public_url, lottery.id);
  Markup markup;
  if (lottery.publishes_draw()) {
    // A Mini App opens only from a private chat and over https; elsewhere the page
    // opens in a browser.
    markup = verify_markup(
        lottery.id, page,
        conversation.chat == private_chat_of(conversation.user.id) && page.starts_with("https://"));
  }
  conversation.reply(text::lotteries::info(*info, conversation.deps.draw_randomness,
                                           conversation.settings.zone(), !page.empty()),
                     std::move(markup));
}

void entries_list(const ButtonPress& press, const EntriesListButton& button,
                  Conversation& conversation) {
  // A list may be tens of megabytes: a chat gets it once an hour at most.
  constexpr std::chrono::hours kOncePer{1};
  if (!button.lottery) {
    refuse_unknown_button(press, conversation);
    return;
  }
  const auto info =
      conversation.checked(QueryService(conversation.deps).lottery_info(*button.lottery));
  if (!info || !info->lottery.publishes_draw()) {
    conversation.answer =
        ButtonAnswer{press.query_id, std::string(text::lotteries::kNoEntriesList), false};
    return;
  }
  if (conversation.transaction.outbox().queued_about(
          conversation.chat, NotificationKind::kEntriesList, *button.lottery,
          conversation.now - kOncePer)) {
    conversation.answer =
        ButtonAnswer{press.query_id, std::string(text::lotteries::kEntriesListSentAlready), false};
    return;
  }
  Notification list;
  list.chat = conversation.chat;
  list.kind = NotificationKind::kEntriesList;
  list.lottery = *button.lottery;
  list.lottery_title = info->lottery.title;
  list.created_at = conversation.now;
  conversation.notices.push_back(list);
  conversation.answer =
      ButtonAnswer{press.query_id, std::string(text::lotteries::kEntriesListComing), false};
}

}  // namespace lottery::chat::handlers
