#include "texts_registration.hpp"

#include "texts.hpp"

namespace lottery::chat::text::registration {

std::string menu_line(std::string_view name, std::string_view description) {
  return "/" + std::string(name) + " — " + text::escape(description) + "\n";
}

std::string welcome_back(std::string_view first_name, std::string_view menu) {
  return "👋 С возвращением, " + text::escape(first_name) + "! Вы зарегистрированы.\n\n" +
         std::string(menu);
}

std::string profile(const MyAccount& view) {
  const User& user = view.user;
  std::string html = "👤 <b>Ваш профиль</b>\nКлубная карта: " + text::escape(user.club_card->str()) +
                     "\nТелефон: " + (user.phone ? text::escape(user.phone->str()) : "не указан") +
                     "\nКод верификации: <code>" + user.verification_code->str() + "</code>\n\n";
  html += "💳 <b>Счета</b>\n";
  if (view.active_accounts.empty()) html += "Пока нет. Счета добавляет администратор.\n";
  for (const Account& account : view.active_accounts) html += "• " + account.number.str() + "\n";
  html += "\n🏆 <b>Выигрыши</b>\n";
  if (view.wins.empty()) html += "Пока нет.\n";
  for (const WinView& win : view.wins) {
    html += "• " + text::title(win.lottery_title) + ", " +
            text::place_and_prize(win.winner.place, win.winner.prize) + " (счет " +
            win.winner.account_number.str() + "): " + text::win_status(win.winner, view.now) + "\n";
  }
  return html;
}

std::string card_accepted(const ClubCard& card) {
  return "Карта " + text::escape(card.str()) +
         " принята. Поделитесь номером телефона кнопкой ниже, введите его или "
         "нажмите «Пропустить».";
}

std::string own_phone_only() {
  return "Отправьте, пожалуйста, свой собственный номер кнопкой «" +
         std::string(text::kShareContact) + "».";
}

std::string or_skip(std::string_view refusal) {
  return std::string(refusal) + " Или нажмите «Пропустить».";
}

std::string registered(const VerificationCode& code) {
  return "✅ Регистрация завершена!\n\nВаш код верификации: <code>" + code.str() +
         "</code>. Сохраните его!\nОн понадобится, чтобы подтвердить выигрыш у "
         "администратора. Посмотреть его снова: /my_account";
}

}  // namespace lottery::chat::text::registration
