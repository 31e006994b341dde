// Creating lotteries, enrolling accounts, drawing and redrawing, the published data.

#include <algorithm>

#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/query_service.hpp"
#include "messages.hpp"
#include "parsing.hpp"
#include "texts.hpp"

namespace lottery::chat::handlers {
namespace {

// From this many winner notifications on, /draw posts a progress message.
constexpr long kProgressFrom = 10;

std::string draw_report(const DrawReport& report, const Conversation& conversation) {
  const std::string id = std::to_string(report.lottery.id.value());
  std::string html = "🎲 Розыгрыш #" + id + " " + text::title(report.lottery.title) +
                     " проведён среди " + std::to_string(report.entries) + " участников.\n\n";
  for (const Winner& winner : report.winners) {
    html += text::place_and_prize(winner.place, winner.prize) + ": счет " +
            winner.account_number.str() + (winner.user ? "" : " (без владельца)") + "\n";
  }
  for (const Prize& empty : report.empty_places) {
    html +=
        text::place_and_prize(empty.place, empty.text) + ": не разыграно — не хватило участников\n";
  }
  return html + "\nСрок подтверждения: " + text::window(report.lottery.claim_window) +
         ". Статус: /winner_status " + id + "\n\n" +
         message::fairness(conversation.deps.draw_randomness, report.lottery, true);
}

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
    conversation.reply("Розыгрыш #" + std::to_string(id->value()) + " не найден.");
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
  conversation.reply("Розыгрыш " + text::title(call.arguments) +
                     ". Введите призы, по одному на строку «МЕСТО ПРИЗ», например:\n"
                     "1 iPhone 15\n2 Наушники\n\nОтменить: /cancel");
}

void lottery_prizes(const Dialogue& dialogue, const IncomingMessage& message,
                    Conversation& conversation) {
  const auto prizes = LotteryService::parse_prizes(message.text);
  if (!prizes) {
    conversation.reply(conversation.error_text(prizes.error()) +
                       " Попробуйте ещё раз или /cancel.");
    return;
  }
  const auto lottery = conversation.checked(
      LotteryService(conversation.deps).create(conversation.requester(), dialogue.data, *prizes));
  conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
  if (!lottery) {
    conversation.reply_error(lottery.error());
    return;
  }
  std::string html = "✅ Розыгрыш #" + std::to_string(lottery->id.value()) + " " +
                     text::title(lottery->title) + " создан.\nПризы:\n";
  for (const Prize& prize : lottery->prizes) {
    html += text::place_and_prize(prize.place, prize.text) + "\n";
  }
  const std::string id = std::to_string(lottery->id.value());
  html += "\nДобавьте участников: /enroll " + id + " all (все активные счета), /enroll " + id +
          " СЧЕТ... или /add_accounts.\nПровести: /draw " + id + "\n\n" +
          message::fairness(conversation.deps.draw_randomness, *lottery, false);
  conversation.reply(html);
}

void lotteries(const CommandCall& /*call*/, Conversation& conversation) {
  const auto list =
      conversation.checked(LotteryService(conversation.deps).list(conversation.requester()));
  if (!list) {
    conversation.reply_error(list.error());
    return;
  }
  if (list->empty()) {
    conversation.reply("Розыгрышей пока нет. Создать: /new_lottery НАЗВАНИЕ");
    return;
  }
  std::string html = "🎲 <b>Розыгрыши</b>\n";
  for (const Lottery& lottery : *list) {
    html += "#" + std::to_string(lottery.id.value()) + " " + text::title(lottery.title) + " — " +
            text::lottery_status(lottery.status) +
            ", мест: " + std::to_string(lottery.prizes.size()) + "\n";
  }
  conversation.reply(html);
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
  conversation.reply(draw_report(*report, conversation));
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
  std::string html = "🔁 Переигровка розыгрыша #" + std::to_string(lottery->value()) + " " +
                     text::title(report->lottery.title) + ":\n";
  for (const Winner& winner : report->winners) {
    html += text::place_and_prize(winner.place, winner.prize) + ": новый победитель — счет " +
            winner.account_number.str() + "\n";
  }
  for (const Prize& empty : report->empty_places) {
    html += text::place_and_prize(empty.place, empty.text) +
            ": не осталось участников, место не разыграно\n";
  }
  conversation.reply(html);
}

void lottery_info(const CommandCall& call, Conversation& conversation) {
  const auto info = lottery_info_argument(call, conversation);
  if (!info) return;
  const Lottery& lottery = info->lottery;
  const bool drawn = lottery.drawn_at.has_value();
  std::string html = "🎟 <b>Розыгрыш #" + std::to_string(lottery.id.value()) + " " +
                     text::title(lottery.title) + "</b>\nСтатус: " +
                     (drawn ? "проведён " + text::moment(*lottery.drawn_at) : "открыт") +
                     "\nУчастников: " + std::to_string(info->entries) + "\nПризы:\n";
  for (const Prize& prize : lottery.prizes) {
    html += text::place_and_prize(prize.place, prize.text) + "\n";
  }
  conversation.reply(html + "\n" +
                     message::fairness(conversation.deps.draw_randomness, lottery, drawn));
}

}  // namespace lottery::chat::handlers
