#include "messages.hpp"

#include "lottery/core/draw_publication.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/query_service.hpp"
#include "texts.hpp"

namespace lottery::chat::message {

std::string contact_suffix(std::string_view admin_contact) {
  return admin_contact.empty() ? std::string{} : " " + text::escape(admin_contact);
}

std::string fairness(DrawRandomness& randomness, const Lottery& lottery, bool drawn,
                     const std::vector<AccountNumber>& winners_in_draw_order) {
  std::string html = "🔐 <b>Проверка честности розыгрыша №" + std::to_string(lottery.id.value()) +
                     "</b>\nХэш ключа (SHA-256): <code>" +
                     to_hex(randomness.commitment(lottery.seed)) + "</code>\n";
  if (lottery.fairness_version < 2) {
    return html + "Розыгрыш создан до проверяемых розыгрышей: список участников не заверен.";
  }
  html += std::string(drawn ? "Хэш списка участников: " : "Хэш списка участников сейчас: ") +
          "<code>" + to_hex(lottery.entries_hash) + "</code>\n";
  if (!drawn) return html + "Ключ будет раскрыт после розыгрыша.";
  html += "Ключ: <code>" + to_hex(lottery.seed) + "</code>\n";
  html += lottery.public_value.empty()
              ? std::string("Публичное значение не задано\n")
              : "Публичное значение: <code>" + text::escape(lottery.public_value) + "</code>\n";
  if (!lottery.skipped_ordinals.empty()) {
    html += "Пропущенные позиции (неактивны или уже выиграли):";
    for (const std::uint64_t ordinal : lottery.skipped_ordinals) {
      html += " " + std::to_string(ordinal);
    }
    html += "\n";
  }
  if (!winners_in_draw_order.empty()) {
    html += "Выигравшие счета по порядку розыгрыша:";
    for (std::size_t index = 0; index < winners_in_draw_order.size(); ++index) {
      html += (index == 0 ? " " : ", ") + winners_in_draw_order[index].str();
    }
    html += "\n";
  }
  return html;
}

std::string verifier_url(std::string_view public_url, LotteryId lottery) {
  if (public_url.empty()) return {};
  return std::string(public_url) + "/verify?lottery=" + std::to_string(lottery.value());
}

std::string how_to_verify(bool with_button) {
  return with_button ? "Проверить самому: кнопка «Проверить розыгрыш» — страница пересчитает "
                       "победителей у вас в браузере."
                     : "Проверить самому: откройте страницу проверки verify.html (из "
                       "документации бота), вставьте этот текст и загрузите список участников "
                       "(файл к итогам розыгрыша или кнопка «📄 Список участников» в "
                       "/lottery_info).";
}

std::string winner(std::string_view lottery_title, const Winner& win,
                   const std::optional<VerificationCode>& code, std::string_view admin_contact,
                   Instant now, const TimeZone& zone) {
  std::string html = "🎉 <b>ПОЗДРАВЛЯЕМ!</b> Вы выиграли " + std::to_string(win.place) +
                     " место в розыгрыше " + text::title(lottery_title) +
                     "!\n\n🏆 Приз: " + text::escape(win.prize) +
                     "\n📋 Ваш выигрышный счет: " + win.account_number.str() +
                     "\n\n✅ Для подтверждения выигрыша нажмите кнопку "
                     "ниже или:\n1. Свяжитесь с администратором" +
                     contact_suffix(admin_contact) + "\n2. Сообщите ваш код верификации: <code>" +
                     (code ? code->str() : std::string("см. /my_account")) +
                     "</code>\n3. Администратор подтвердит ваш выигрыш в системе\n\n"
                     "⏰ Срок подтверждения: до " +
                     text::moment(win.deadline, zone);
  if (win.deadline > now) html += " (осталось " + text::remaining(win.deadline - now) + ")";
  return html;
}

std::string results(Transaction& transaction, DrawRandomness& randomness, const Lottery& lottery,
                    std::string_view admin_contact) {
  std::string html = "🎉 <b>Итоги розыгрыша " + text::title(lottery.title) + "</b>\n\n";
  for (const WinnerRow& row : current_winners(transaction, lottery.id)) {
    const Winner& win = row.winner;
    html += text::place_and_prize(win.place, win.prize) + ": ";
    if (row.user && row.user->is_registered) {
      html += text::escape(row.user->first_name.empty() ? "победитель" : row.user->first_name) +
              (win.is_claimed() ? " ✅" : "");
    } else {
      html += "Счет " + win.account_number.str() +
              " выиграл! Владелец, свяжитесь с администратором" + contact_suffix(admin_contact) +
              ".";
    }
    html += "\n";
  }
  return html + "\n" +
         fairness(randomness, lottery, true,
                  accounts_in_draw_order(transaction.winners().list_by_lottery(lottery.id)));
}

std::string enrol_summary(LotteryId lottery, const EnrolReport& report) {
  std::string html = "✅ Розыгрыш #" + std::to_string(lottery.value()) +
                     ": добавлено участников — " + std::to_string(report.added) +
                     ", уже участвовали — " + std::to_string(report.already_enrolled) +
                     ". Всего участников: " + std::to_string(report.total_entries) + ".";
  if (!report.unknown.empty()) {
    html += "\nНе найдены счета:";
    for (const auto& number : report.unknown) html += " " + number.str();
  }
  if (!report.inactive.empty()) {
    html += "\nДеактивированы (не добавлены):";
    for (const auto& number : report.inactive) html += " " + number.str();
  }
  return html;
}

}  // namespace lottery::chat::message
