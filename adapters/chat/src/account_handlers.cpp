// Clients' accounts: one, a list of them, deactivating, listing.

#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "parsing.hpp"
#include "texts.hpp"
#include "texts_accounts.hpp"

namespace lottery::chat::handlers {
namespace {

// The account number typed as the words from `first` on ("11 22 33 …" is one number).
Result<AccountNumber> number_from(const std::vector<std::string>& args, std::size_t first) {
  std::string number_text;
  for (std::size_t i = first; i < args.size(); ++i) {
    number_text += (i > first ? " " : "") + args[i];
  }
  return AccountNumber::parse(number_text);
}

}  // namespace

void add_account(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  if (args.size() < 2) {
    answer_usage(call, conversation);
    return;
  }
  const auto card = ClubCard::parse(args[0]);
  if (!card) {
    conversation.reply_error(card.error());
    return;
  }
  const auto number = number_from(args, 1);
  if (!number) {
    conversation.reply_error(number.error());
    return;
  }
  const auto outcome = conversation.checked(
      AccountService(conversation.deps).add_account(conversation.requester(), *card, *number));
  if (!outcome) {
    conversation.reply_error(outcome.error());
    return;
  }
  conversation.reply(text::accounts::added(*outcome, *card, *number));
}

void add_accounts(const CommandCall& /*call*/, Conversation& conversation) {
  save_step(conversation, DialogueStep::kAccountLines, "");
  conversation.reply(std::string(text::accounts::kSendLines));
}

void account_lines(const Dialogue& /*dialogue*/, const IncomingMessage& message,
                   Conversation& conversation) {
  if (trim(message.text).empty()) {
    conversation.reply(std::string(text::accounts::kSendLinesAsText));
    return;
  }
  save_step(conversation, DialogueStep::kAccountLottery, message.text);
  Markup choice;
  choice.kind = Markup::Kind::kInline;
  const auto list =
      conversation.checked(LotteryService(conversation.deps).list(conversation.requester()));
  if (list) {
    for (const Lottery& lottery : *list) {
      if (lottery.status != LotteryStatus::kOpen) continue;
      choice.inline_rows.push_back({InlineButton{
          "#" + std::to_string(lottery.id.value()) + " " + text::shorten(lottery.title, 40),
          choose_lottery_data(lottery.id)}});
    }
  }
  choice.inline_rows.push_back({InlineButton{std::string(text::accounts::kWithoutLottery),
                                             choose_lottery_data(std::nullopt)}});
  conversation.reply(std::string(text::accounts::kWhichLottery), choice);
}

void account_lottery_reminder(const Dialogue& /*dialogue*/, const IncomingMessage& /*message*/,
                              Conversation& conversation) {
  conversation.reply(std::string(text::accounts::kChooseLottery));
}

void choose_lottery_for_accounts(const ButtonPress& press, const ChooseLotteryButton& button,
                                 Conversation& conversation) {
  auto& dialogues = conversation.transaction.dialogues();
  const auto dialogue = dialogues.find(conversation.chat, press.from.id);
  if (!dialogue || step_of(*dialogue) != DialogueStep::kAccountLottery) {
    conversation.answer =
        ButtonAnswer{press.query_id, std::string(text::accounts::kListHandled), false};
    return;
  }
  if (!button.valid) {
    conversation.answer = ButtonAnswer{press.query_id, std::string(text::kButtonExpired), false};
    return;
  }
  const auto report = conversation.checked(
      AccountService(conversation.deps)
          .add_accounts(conversation.requester(), dialogue->data, button.lottery));
  dialogues.remove(conversation.chat, press.from.id);
  conversation.answer =
      ButtonAnswer{press.query_id,
                   std::string(report ? text::accounts::kDone : text::accounts::kNotDone), false};
  if (!report) {
    conversation.reply_error(report.error());
    return;
  }
  conversation.reply(
      text::accounts::added_lines(*report, button.lottery, conversation.settings.admin_contact));
}

void remove_account(const CommandCall& call, Conversation& conversation) {
  const auto number = AccountNumber::parse(call.arguments);
  if (call.arguments.empty()) {
    answer_usage(call, conversation);
    return;
  }
  if (!number) {
    conversation.reply_error(number.error());
    return;
  }
  const auto account = conversation.checked(
      AccountService(conversation.deps).deactivate_account(conversation.requester(), *number));
  conversation.reply(account ? text::accounts::deactivated(*number)
                             : conversation.error_text(account.error()));
}

}  // namespace lottery::chat::handlers
