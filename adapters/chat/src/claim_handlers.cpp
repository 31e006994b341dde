// Confirming wins (the winner's button, the admin's code), their status, deadlines and
// prizes.

#include <charconv>

#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/query_service.hpp"
#include "messages.hpp"
#include "parsing.hpp"
#include "texts.hpp"
#include "texts_claims.hpp"

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
                         conversation.settings.admin_contact, conversation.now,
                         conversation.settings.zone());
}

// The winner message `message_id` in `chat` edited in place, with `note` under it.
void edit_winner_message(std::optional<ChatId> chat, std::int64_t message_id, WinnerId winner,
                         const std::string& note, Conversation& conversation) {
  if (!chat) return;
  if (auto shown = winner_message_for(winner, conversation)) {
    conversation.replies.push_back(
        OutgoingMessage{*chat, *shown + "\n\n" + note, Markup{}, message_id});
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
  conversation.reply(text::claims::winners(*lottery, *view, unclaimed_only));
}

}  // namespace

void confirm_win(const ButtonPress& press, const ConfirmWinButton& button,
                 Conversation& conversation) {
  if (!button.winner) {
    (void)ClaimService(conversation.deps).refuse_forged_press(press.from.id, press.data);
    conversation.answer = ButtonAnswer{press.query_id, std::string(text::kButtonExpired), true};
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
      edit_winner_message(press.chat, press.message_id, winner, why, conversation);
    }
    return;
  }
  if (outcome->code_sent_to) {
    // R-2FA-1: the win waits for the code sent by SMS, typed as the next message.
    conversation.answer =
        ButtonAnswer{press.query_id, text::claims::sms_sent(*outcome->code_sent_to), false};
    save_step(conversation, DialogueStep::kSmsCode,
              std::to_string(winner.value()) + " " + std::to_string(press.message_id));
    conversation.reply(text::claims::enter_sms_code(*outcome->code_sent_to));
    return;
  }
  conversation.answer =
      ButtonAnswer{press.query_id,
                   std::string(outcome->already_confirmed ? text::claims::kAlreadyConfirmed
                                                          : text::claims::kConfirmed),
                   false};
  if (!outcome->already_confirmed) {
    edit_winner_message(
        press.chat, press.message_id, winner,
        text::claims::confirmed_note(*outcome->winner.claimed_at, conversation.settings.zone()),
        conversation);
  }
}

void sms_code(const Dialogue& dialogue, const IncomingMessage& message,
              Conversation& conversation) {
  const auto ids = words(dialogue.data);
  const auto winner = ids.size() == 2 ? parse_id<WinnerId>(ids[0]) : std::nullopt;
  std::int64_t message_id_value = 0;
  const auto message_id =
      ids.size() == 2 &&
              std::from_chars(ids[1].data(), ids[1].data() + ids[1].size(), message_id_value).ec ==
                  std::errc{}
          ? std::optional{message_id_value}
          : std::nullopt;
  if (!winner || !message_id) {
    conversation.transaction.dialogues().remove(dialogue.chat, dialogue.user);
    conversation.reply(std::string(text::kNotUnderstood));
    return;
  }
  const auto outcome =
      conversation.checked(ClaimService(conversation.deps)
                               .confirm_with_sms_code(conversation.user.id, *winner, message.text));
  const bool try_again =
      !outcome && outcome.error().code == ErrorCode::kWrongSmsCode && outcome.error().detail != "0";
  if (!try_again) conversation.transaction.dialogues().remove(dialogue.chat, dialogue.user);
  if (!outcome) {
    conversation.reply_error(outcome.error());
    return;
  }
  conversation.reply(std::string(outcome->already_confirmed ? text::claims::kAlreadyConfirmed
                                                            : text::claims::kConfirmed));
  if (!outcome->already_confirmed) {
    edit_winner_message(
        conversation.chat, *message_id, *winner,
        text::claims::confirmed_note(*outcome->winner.claimed_at, conversation.settings.zone()),
        conversation);
  }
}

void refuse_unknown_button(const ButtonPress& press, Conversation& conversation) {
  (void)ClaimService(conversation.deps).refuse_forged_press(press.from.id, press.data);
  conversation.answer = ButtonAnswer{press.query_id, std::string(text::kButtonExpired), false};
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
    conversation.reply(text::claims::verify_candidates(*code, *lottery, outcome->candidates));
    return;
  }
  const Winner& win = *outcome->confirmed;
  conversation.reply(outcome->already_confirmed ? text::claims::verified_before(win)
                                                : text::claims::verified(win));
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
  conversation.reply(extended ? text::claims::extended(*winner, extended->deadline,
                                                       extended->user.has_value(),
                                                       conversation.settings.zone())
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
  conversation.reply(given ? text::claims::prize_given(*winner)
                           : conversation.error_text(given.error()));
}

}  // namespace lottery::chat::handlers
