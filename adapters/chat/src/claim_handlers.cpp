// Confirming wins (the winner's button, the admin's code), their status, deadlines and
// prizes.

#include "handlers.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/query_service.hpp"
#include "messages.hpp"
#include "parsing.hpp"
#include "texts.hpp"

namespace lottery::chat::handlers {
namespace {

// The winner message of this win as it was sent, without its button.
std::optional<std::string> winner_message_for(WinnerId winner, Conversation& conversation) {
  Transaction& transaction = conversation.transaction;
  const auto win = transaction.winners().find(winner);
  if (!win) return std::nullopt;
  const auto lottery = transaction.lotteries().find(win->lottery);
  std::optional<VerificationCode> code;
  if (win->user) {
    if (const auto user = transaction.users().find(*win->user)) code = user->verification_code;
  }
  return message::winner(lottery ? lottery->title : "", *win, code,
                         conversation.settings.admin_contact, conversation.now);
}

// The winner message edited in place, with `note` under it.
void edit_winner_message(const ButtonPress& press, WinnerId winner, const std::string& note,
                         Conversation& conversation) {
  if (!press.chat) return;
  if (auto shown = winner_message_for(winner, conversation)) {
    conversation.replies.push_back(
        OutgoingMessage{*press.chat, *shown + "\n\n" + note, Markup{}, press.message_id});
  }
}

void show_winners(const CommandCall& call, Conversation& conversation, bool unclaimed_only) {
  const auto lottery = only_lottery_id(call, conversation);
  if (!lottery) return;
  QueryService queries(conversation.deps);
  const auto view = conversation.checked(
      unclaimed_only ? queries.unclaimed(conversation.requester(), *lottery)
                     : queries.winner_status(conversation.requester(), *lottery));
  if (!view) {
    conversation.reply_error(view.error());
    return;
  }
  std::string html =
      (unclaimed_only ? "⏳ Неподтверждённые выигрыши розыгрыша #" : "🏆 Результаты розыгрыша #") +
      std::to_string(lottery->value()) + " " + text::title(view->lottery.title) + ":\n";
  if (view->rows.empty()) {
    html += unclaimed_only && view->lottery.drawn_at ? "Нет — все выигрыши подтверждены."
                                                     : "Розыгрыш ещё не проведён.";
  }
  bool any_expired = false;
  for (const WinnerRow& row : view->rows) {
    const Winner& win = row.winner;
    std::string who = "Счет: " + win.account_number.str();
    if (row.user) {
      who = (row.user->username.empty() ? text::escape(row.user->first_name)
                                        : "@" + text::escape(row.user->username)) +
            " (КК: " + (row.user->club_card ? text::escape(row.user->club_card->str()) : "—") +
            ", счет " + win.account_number.str() + ")";
    }
    html += std::to_string(win.place) + " место" +
            (win.round > 1 ? " (переигровка " + std::to_string(win.round - 1) + ")" : "") + " — " +
            who + " " + text::win_status(win, view->now) + " [#" + std::to_string(win.id.value()) +
            "]\n";
    any_expired = any_expired || win.is_expired_at(view->now);
  }
  if (any_expired) {
    html += "\nПереиграть истекшие: /redraw " + std::to_string(lottery->value()) +
            "\nПродлить срок: /extend_claim ID_ВЫИГРЫША [ЧАСЫ]";
  }
  conversation.reply(html);
}

std::string verify_candidates_text(const VerificationCode& code, LotteryId lottery,
                                   const std::vector<Winner>& candidates) {
  std::string html = "У участника несколько выигрышей в этом розыгрыше, укажите счет:\n";
  for (const Winner& win : candidates) {
    html += "/verify_winner " + code.str() + " " + std::to_string(lottery.value()) + " " +
            win.account_number.str() + " — " + text::place_and_prize(win.place, win.prize) + "\n";
  }
  return html;
}

}  // namespace

void confirm_win(const ButtonPress& press, const ConfirmWinButton& button,
                 Conversation& conversation) {
  if (!button.winner) {
    (void)ClaimService(conversation.deps).refuse_forged_press(press.from.id, press.data);
    conversation.answer = ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", true};
    return;
  }
  const WinnerId winner = *button.winner;
  const auto outcome = conversation.checked(
      ClaimService(conversation.deps).confirm_by_button(press.from.id, winner));
  if (!outcome) {
    const std::string why = conversation.error_text(outcome.error());
    conversation.answer = ButtonAnswer{press.query_id, why, true};
    const auto code = outcome.error().code;
    if (code == ErrorCode::kWinExpired || code == ErrorCode::kWinRedrawn) {
      // The button no longer works: take it away and say why.
      edit_winner_message(press, winner, why, conversation);
    }
    return;
  }
  conversation.answer = ButtonAnswer{
      press.query_id,
      outcome->already_confirmed ? "Этот выигрыш уже подтвержден." : "✅ Выигрыш подтвержден!",
      false};
  if (!outcome->already_confirmed) {
    edit_winner_message(press, winner,
                        "✅ <b>Выигрыш подтвержден</b> " + text::moment(*outcome->winner.claimed_at),
                        conversation);
  }
}

void refuse_unknown_button(const ButtonPress& press, Conversation& conversation) {
  (void)ClaimService(conversation.deps).refuse_forged_press(press.from.id, press.data);
  conversation.answer = ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", false};
}

void verify_winner(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  if (args.size() < 2) {
    answer_usage(call, conversation);
    return;
  }
  const auto code = VerificationCode::parse(args[0]);
  if (!code) {
    conversation.reply_error(code.error());
    return;
  }
  const auto lottery = parse_id<LotteryId>(args[1]);
  if (!lottery) {
    answer_usage(call, conversation);
    return;
  }
  std::optional<AccountNumber> account;
  if (args.size() > 2) {
    std::string number_text;
    for (std::size_t i = 2; i < args.size(); ++i) number_text += (i > 2 ? " " : "") + args[i];
    auto number = AccountNumber::parse(number_text);
    if (!number) {
      conversation.reply_error(number.error());
      return;
    }
    account = *number;
  }
  const auto outcome =
      conversation.checked(ClaimService(conversation.deps)
                               .verify_by_code(conversation.requester(), *code, *lottery, account));
  if (!outcome) {
    conversation.reply_error(outcome.error());
    return;
  }
  if (!outcome->candidates.empty()) {
    conversation.reply(verify_candidates_text(*code, *lottery, outcome->candidates));
    return;
  }
  const Winner& win = *outcome->confirmed;
  conversation.reply(std::string(outcome->already_confirmed ? "Этот выигрыш уже был подтвержден: "
                                                            : "✅ Выигрыш подтвержден: ") +
                     text::place_and_prize(win.place, win.prize) + ", счет " +
                     win.account_number.str() + ". Когда вручите приз: /prize_given " +
                     std::to_string(win.id.value()));
}

void winner_status(const CommandCall& call, Conversation& conversation) {
  show_winners(call, conversation, false);
}

void check_unclaimed(const CommandCall& call, Conversation& conversation) {
  show_winners(call, conversation, true);
}

void extend_claim(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto winner = args.empty() || args.size() > 2 ? std::nullopt : parse_id<WinnerId>(args[0]);
  std::optional<std::chrono::hours> hours;
  if (winner && args.size() == 2) {
    if (const auto count = parse_positive(args[1])) hours = std::chrono::hours{*count};
  }
  if (!winner || (args.size() == 2 && !hours)) {
    answer_usage(call, conversation);
    return;
  }
  const auto extended = conversation.checked(
      ClaimService(conversation.deps).extend_claim(conversation.requester(), *winner, hours));
  conversation.reply(extended
                         ? "✅ Срок подтверждения выигрыша #" + std::to_string(winner->value()) +
                               " продлён до " + text::moment(extended->deadline) +
                               ". Победитель получил уведомление."
                         : conversation.error_text(extended.error()));
}

void prize_given(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto winner = args.size() == 1 ? parse_id<WinnerId>(args[0]) : std::nullopt;
  if (!winner) {
    answer_usage(call, conversation);
    return;
  }
  const auto given = conversation.checked(
      ClaimService(conversation.deps).record_prize_given(conversation.requester(), *winner));
  conversation.reply(given ? "🎁 Приз по выигрышу #" + std::to_string(winner->value()) +
                                 " отмечен как вручённый."
                           : conversation.error_text(given.error()));
}

}  // namespace lottery::chat::handlers
