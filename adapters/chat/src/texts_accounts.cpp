#include "texts_accounts.hpp"

#include "messages.hpp"
#include "texts.hpp"

namespace lottery::chat::text::accounts {

std::string added(const AddAccountOutcome& outcome, const ClubCard& card,
                  const AccountNumber& number) {
  const std::string& account = number.str();
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
             (outcome.linked_wins.empty()
                  ? "."
                  : ". Неподтверждённые выигрыши по счету переданы клиенту: " +
                        std::to_string(outcome.linked_wins.size()) + ".");
    case AddAccountResult::kReactivated:
      return "✅ Счет " + account + " снова активен.";
    case AddAccountResult::kAlreadyThere:
      return "Счет " + account + " уже добавлен" + owner + ".";
  }
  return {};
}

std::string added_lines(const BulkAddReport& report, std::optional<LotteryId> lottery,
                        std::string_view admin_contact) {
  std::string html = "📥 Счета: добавлено " + std::to_string(report.added) + ", без владельца " +
                     std::to_string(report.added_without_owner) + ", привязано " +
                     std::to_string(report.linked) + ", уже были " +
                     std::to_string(report.already_there) + ", отклонено " +
                     std::to_string(report.refused.size()) + ".";
  for (const RefusedLine& refused : report.refused) {
    html += "\nСтрока " + std::to_string(refused.line) + " («" + text::escape(refused.text) +
            "»): " + text::error(refused.error, admin_contact);
  }
  if (report.enrolment && lottery) {
    html += "\n" + message::enrol_summary(*lottery, *report.enrolment);
  }
  return html;
}

std::string deactivated(const AccountNumber& number) {
  return "✅ Счет " + number.str() + " деактивирован: в новых розыгрышах он не участвует.";
}

}  // namespace lottery::chat::text::accounts
