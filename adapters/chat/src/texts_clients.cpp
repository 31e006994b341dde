#include "texts_clients.hpp"

#include "texts.hpp"

namespace lottery::chat::text::clients {
namespace {

std::string accounts_of(const ClientCard& card) {
  if (card.accounts.empty()) return "Счетов нет.\n";
  std::string html = "Счета (" + std::to_string(card.accounts.size()) + "):\n";
  for (const Account& account : card.accounts) {
    html += "• " + account.number.str() + (account.is_active ? "" : " (деактивирован)") + "\n";
  }
  return html;
}

std::string heading(const ClientCard& card) {
  return "👤 " + text::holder(card.user) +
         (card.user.is_registered ? "" : " — регистрацию не закончил") + "\n";
}

std::string card_text(const ClientCard& card, Instant now) {
  std::string html = heading(card);
  html += "Телефон: " + (card.user.phone ? card.user.phone->str() : std::string("нет")) + "\n";
  html += accounts_of(card);
  if (card.wins.empty()) return html + "Выигрышей нет.\n";
  html += "Выигрыши (" + std::to_string(card.wins.size()) + "):\n";
  for (const WinView& view : card.wins) {
    const Winner& win = view.winner;
    html += "• #" + std::to_string(win.lottery.value()) + " " + text::title(view.lottery_title) +
            ", " + text::place_and_prize(win.place, win.prize) + ", счет " +
            win.account_number.str() + ": " + text::win_status(win, now) + " [#" +
            std::to_string(win.id.value()) + "]\n";
  }
  return html;
}

std::string several(std::size_t count) {
  return "Найдено клиентов: " + std::to_string(count) +
         (count == ClientService::kMaxClientsFound ? " (показаны первые; уточните запрос)" : "") +
         "\n\n";
}

}  // namespace

std::string cards(const std::vector<ClientCard>& found, Instant now) {
  std::string html = found.size() > 1 ? several(found.size()) : std::string{};
  for (std::size_t i = 0; i < found.size(); ++i) {
    html += (i > 0 ? "\n" : "") + card_text(found[i], now);
  }
  return html;
}

std::string accounts(const std::vector<ClientCard>& found) {
  std::string html = found.size() > 1 ? several(found.size()) : std::string{};
  for (std::size_t i = 0; i < found.size(); ++i) {
    html += (i > 0 ? "\n" : "") + heading(found[i]) + accounts_of(found[i]);
  }
  return html;
}

std::string moved(const MovedAccount& moved) {
  if (!moved.moved) {
    return "Счет " + moved.account.number.str() + " уже у клиента " + text::holder(moved.owner) +
           ".";
  }
  std::string html = "✅ Счет " + moved.account.number.str() + " передан клиенту " +
                     text::holder(moved.owner) + " (был " +
                     (moved.previous_owner ? "у клиента " + text::holder(*moved.previous_owner)
                                           : std::string("без владельца")) +
                     "). Клиент получил уведомление.";
  if (!moved.handed_wins.empty()) {
    html += " Неподтверждённые выигрыши по счету переданы вместе с ним: " +
            std::to_string(moved.handed_wins.size()) + ".";
  }
  return html;
}

std::string new_code_sent(const User& user) {
  return "✅ Новый код верификации отправлен клиенту " + text::holder(user) +
         ". Прежний больше не действует.";
}

}  // namespace lottery::chat::text::clients
