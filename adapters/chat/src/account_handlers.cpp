// Clients' accounts: one, a list of them, deactivating, listing.

#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "messages.hpp"
#include "parsing.hpp"
#include "texts.hpp"

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

std::string added_account_text(const AddAccountOutcome& outcome, const ClubCard& card,
                               const AccountNumber& number) {
  const std::string account = number.str();
  // The admin sees whose card it is: a mistyped card must not pass unnoticed.
  const std::string owner = outcome.owner ? " клиенту " + text::holder(*outcome.owner) : "";
  switch (outcome.result) {
    case AddAccountResult::kAdded:
      return "✅ Счет " + account + " добавлен" + owner + ". Клиент получил уведомление.";
    case AddAccountResult::kAddedWithoutOwner:
      return "✅ Счет " + account + " добавлен без владельца: карта " + text::escape(card.str()) +
             " ещё не зарегистрирована. Когда клиент зарегистрируется, повторите /add_account " +
             text::escape(card.str()) + " " + account + ".";
    case AddAccountResult::kLinked:
      return "✅ Счет " + account + " привязан" + owner +
             (outcome.linked_wins.empty() ? "."
                                          : ". Ожидающие выигрыши по счету переданы клиенту: " +
                                                std::to_string(outcome.linked_wins.size()) + ".");
    case AddAccountResult::kReactivated:
      return "✅ Счет " + account + " снова активен.";
    case AddAccountResult::kAlreadyThere:
      return "Счет " + account + " уже добавлен" + owner + ".";
  }
  return {};
}

std::string bulk_report_text(const BulkAddReport& report, std::optional<LotteryId> lottery,
                             const Conversation& conversation) {
  std::string html = "📥 Счета: добавлено " + std::to_string(report.added) + ", без владельца " +
                     std::to_string(report.added_without_owner) + ", привязано " +
                     std::to_string(report.linked) + ", уже были " +
                     std::to_string(report.already_there) + ", отклонено " +
                     std::to_string(report.refused.size()) + ".";
  for (const RefusedLine& refused : report.refused) {
    html += "\nСтрока " + std::to_string(refused.line) + " («" + text::escape(refused.text) +
            "»): " + conversation.error_text(refused.error);
  }
  if (report.enrolment && lottery) {
    html += "\n" + message::enrol_summary(*lottery, *report.enrolment);
  }
  return html;
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
  conversation.reply(added_account_text(*outcome, *card, *number));
}

void add_accounts(const CommandCall& /*call*/, Conversation& conversation) {
  save_step(conversation, DialogueStep::kAccountLines, "");
  conversation.reply(
      "Отправьте счета, по одному на строку: «КЛУБНАЯ_КАРТА СЧЕТ» или просто номер счета, "
      "например:\n2223 11-22-33-44-55-66-77\n33-44-55-66-77-88-99\n\nОтменить: /cancel");
}

void account_lines(const Dialogue& /*dialogue*/, const IncomingMessage& message,
                   Conversation& conversation) {
  if (trim(message.text).empty()) {
    conversation.reply("Отправьте счета текстом или /cancel.");
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
  choice.inline_rows.push_back({InlineButton{"Без розыгрыша", choose_lottery_data(std::nullopt)}});
  conversation.reply("В какой розыгрыш добавить эти счета?", choice);
}

void account_lottery_reminder(const Dialogue& /*dialogue*/, const IncomingMessage& /*message*/,
                              Conversation& conversation) {
  conversation.reply("Выберите розыгрыш кнопкой выше или /cancel.");
}

void choose_lottery_for_accounts(const ButtonPress& press, const ChooseLotteryButton& button,
                                 Conversation& conversation) {
  auto& dialogues = conversation.transaction.dialogues();
  const auto dialogue = dialogues.find(conversation.chat, press.from.id);
  if (!dialogue || step_of(*dialogue) != DialogueStep::kAccountLottery) {
    conversation.answer = ButtonAnswer{press.query_id, "Этот список уже обработан.", false};
    return;
  }
  if (!button.valid) {
    conversation.answer = ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", false};
    return;
  }
  const auto report = conversation.checked(
      AccountService(conversation.deps)
          .add_accounts(conversation.requester(), dialogue->data, button.lottery));
  dialogues.remove(conversation.chat, press.from.id);
  conversation.answer = ButtonAnswer{press.query_id, report ? "Готово" : "Не выполнено", false};
  if (!report) {
    conversation.reply_error(report.error());
    return;
  }
  conversation.reply(bulk_report_text(*report, button.lottery, conversation));
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
  conversation.reply(account ? "✅ Счет " + number->str() +
                                   " деактивирован: в новых розыгрышах он не участвует."
                             : conversation.error_text(account.error()));
}

void list_accounts(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  const auto user = args.size() == 1 ? parse_id<TelegramUserId>(args[0]) : std::nullopt;
  if (!user) {
    answer_usage(call, conversation);
    return;
  }
  const auto listed = conversation.checked(
      AccountService(conversation.deps).list_accounts(conversation.requester(), *user));
  if (!listed) {
    conversation.reply_error(listed.error());
    return;
  }
  std::string html =
      "👤 " + text::escape(listed->user.first_name) +
      (listed->user.username.empty() ? "" : " (@" + text::escape(listed->user.username) + ")") +
      ", карта " + (listed->user.club_card ? text::escape(listed->user.club_card->str()) : "—") +
      "\n";
  if (listed->accounts.empty()) html += "Счетов нет.";
  for (const Account& account : listed->accounts) {
    html += "• " + account.number.str() + (account.is_active ? "" : " (деактивирован)") + "\n";
  }
  conversation.reply(html);
}

}  // namespace lottery::chat::handlers
