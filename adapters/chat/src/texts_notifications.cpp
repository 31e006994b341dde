#include "texts_notifications.hpp"

#include "messages.hpp"
#include "texts.hpp"

namespace lottery::chat::text::notifications {
namespace {

// The reminder and the extension differ only in how they open.
std::string claim_deadline(const char* opening, std::string_view about, Duration left,
                           Instant deadline, const TimeZone& zone) {
  return opening + std::string(about) + ".\nОсталось " + text::remaining(left) + " (до " +
         text::moment(deadline, zone) + ").";
}

// The drawn and redrawn reports to admins differ only in how they open.
std::string admin_draw(const char* opening, std::string_view lottery_id,
                       std::string_view lottery_title, std::int64_t count,
                       std::string_view empty_places) {
  return std::string(opening) + std::string(lottery_id) + " " + text::title(lottery_title) +
         ": победителей — " + std::to_string(count) +
         (empty_places.empty() ? "" : ", не разыграны места: " + text::escape(empty_places)) +
         ".\nСтатус: /winner_status " + std::string(lottery_id);
}

std::string undelivered(std::int64_t chat, std::string_view reason) {
  return "⚠️ Сообщение в чат " + std::to_string(chat) +
         " не доставлено: " + text::undeliverable_reason(reason);
}

}  // namespace

std::string about(std::string_view lottery_title, int place, std::string_view prize,
                  const std::optional<AccountNumber>& account) {
  return text::title(lottery_title) + ", " + text::place_and_prize(place, prize) +
         (account ? ", счет " + account->str() : std::string{});
}

std::string win_confirmed(std::string_view about) {
  return "✅ Ваш выигрыш подтвержден! Администратор свяжется с вами для получения приза.\n\n" +
         std::string(about);
}

std::string win_expired(std::string_view about, std::string_view admin_contact) {
  return "⌛ Срок подтверждения выигрыша истек: " + std::string(about) +
         ".\nЕсли это ошибка, свяжитесь с администратором" +
         message::contact_suffix(admin_contact) + ".";
}

std::string code_renewed(std::string_view code) {
  return "🔑 Администратор выдал вам новый код верификации: <code>" + text::escape(code) +
         "</code>. Прежний больше не действует. Сообщайте код только администратору клуба.";
}

std::string handed_over_expired(std::string_view account, std::string_view about,
                                std::string_view admin_contact) {
  return "⌛ По счету " + std::string(account) +
         ", который теперь привязан к вам, был выигрыш: " + std::string(about) +
         ".\nСрок его подтверждения истек, пока счет был без владельца. Чтобы продлить срок, "
         "свяжитесь с администратором" +
         message::contact_suffix(admin_contact) + ".";
}

std::string claim_reminder(std::string_view about, Duration left, Instant deadline,
                           const TimeZone& zone) {
  return claim_deadline("⏰ Напоминание: подтвердите выигрыш — ", about, left, deadline, zone);
}

std::string claim_extended(std::string_view about, Duration left, Instant deadline,
                           const TimeZone& zone) {
  return claim_deadline("🔄 Срок подтверждения выигрыша продлён — ", about, left, deadline, zone);
}

std::string account_added(std::string_view number) {
  return "✅ К вашему профилю добавлен счет: " + std::string(number);
}

std::string accounts_added(std::int64_t count, std::string_view lines, std::int64_t listed) {
  return "✅ К вашему профилю добавлены счета (" + std::to_string(count) + "):\n" +
         text::escape_lines(lines) +
         (count > listed ? "\n… и ещё " + std::to_string(count - listed) : std::string{});
}

std::string admin_win_confirmed(std::string_view winner_id, bool by_button,
                                std::string_view about) {
  return "✅ Выигрыш #" + std::string(winner_id) + " подтвержден " +
         (by_button ? "победителем (кнопкой)" : "по коду") + ": " + std::string(about) +
         ". Когда вручите приз: /prize_given " + std::string(winner_id);
}

std::string admin_wins_expired(std::string_view lottery_id, std::string_view lottery_title,
                               std::int64_t count) {
  return "⌛ В розыгрыше #" + std::string(lottery_id) + " " + text::title(lottery_title) +
         " истек срок подтверждения у выигрышей: " + std::to_string(count) +
         ".\nПереиграть: /redraw " + std::string(lottery_id) + "\nСтатус: /winner_status " +
         std::string(lottery_id);
}

std::string admin_drawn(std::string_view lottery_id, std::string_view lottery_title,
                        std::int64_t count, std::string_view empty_places) {
  return admin_draw("🎲 Проведён розыгрыш #", lottery_id, lottery_title, count, empty_places);
}

std::string admin_redrawn(std::string_view lottery_id, std::string_view lottery_title,
                          std::int64_t count, std::string_view empty_places) {
  return admin_draw("🔁 Переигран розыгрыш #", lottery_id, lottery_title, count, empty_places);
}

std::string undeliverable(std::int64_t chat, std::string_view reason) {
  return undelivered(chat, reason) + ".";
}

std::string undeliverable_win(std::int64_t chat, std::string_view reason,
                              std::string_view winner_id, std::string_view about) {
  return undelivered(chat, reason) + ".\nЭто уведомление о выигрыше #" + std::string(winner_id) +
         " (" + std::string(about) + "): свяжитесь с победителем сами.";
}

std::string draw_progress(std::string_view lottery_id, std::string_view lottery_title,
                          const DeliveryProgress& progress) {
  std::string html = "📨 Уведомления победителям розыгрыша #" + std::string(lottery_id) + " " +
                     text::title(lottery_title) + ": " + std::to_string(progress.sent) + "/" +
                     std::to_string(progress.total);
  if (progress.failed > 0) html += ", не доставлено: " + std::to_string(progress.failed);
  if (progress.sent + progress.failed >= progress.total) html += " — готово ✅";
  return html;
}

std::string winners_file(std::string_view lottery_id, std::string_view lottery_title,
                         std::size_t rows) {
  return "📄 Победители розыгрыша #" + std::string(lottery_id) + " " + text::title(lottery_title) +
         ": " + text::plural(static_cast<long long>(rows), "строка", "строки", "строк") + ".";
}

std::string entries_caption(LotteryId lottery, std::size_t entries, std::size_t part,
                            std::size_t parts) {
  return "📄 Список участников розыгрыша №" + std::to_string(lottery.value()) +
         (parts > 1 ? " (часть " + std::to_string(part) + " из " + std::to_string(parts) + ")"
                    : std::string{}) +
         ", всего " + std::to_string(entries) +
         ": «позиция,счет» по порядку — для проверки розыгрыша.";
}

std::string lottery_announced(const Lottery& lottery, DrawRandomness& randomness) {
  std::string html = "🎟 <b>Новый розыгрыш №" +
                     std::to_string(lottery.id.value()) + " " + text::title(lottery.title) +
                     "</b>\nПризы:\n";
  for (const Prize& prize : lottery.prizes) {
    html += text::place_and_prize(prize.place, prize.text) + "\n";
  }
  return html + "\n" + message::fairness(randomness, lottery, false);
}

}  // namespace lottery::chat::text::notifications
