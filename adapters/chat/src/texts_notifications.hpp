#pragma once

// What winners, owners and admins read in the notifications (render.cpp). Ids come as
// the renderer shows them: digits, or empty when the notification lacks one.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lottery/core/account_number.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/time.hpp"
#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/outbox.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::chat::text::notifications {

// "«Новый год», 1 место — iPhone 15, счет 11-22-33-44-55-66-77": which win a message is about.
[[nodiscard]] std::string about(std::string_view lottery_title, int place, std::string_view prize,
                                const std::optional<AccountNumber>& account);

// "✅ Ваш выигрыш подтвержден! Администратор свяжется с вами для получения приза.\n\n«Новый
// год», 1 место — …"
[[nodiscard]] std::string win_confirmed(std::string_view about);
// "⌛ Срок подтверждения выигрыша истек: «Новый год», ….\nЕсли это ошибка, свяжитесь с
// администратором @admin."
// "🔑 Администратор выдал вам новый код верификации: <code>AB23CD45</code>. Прежний
// больше не действует."
[[nodiscard]] std::string code_renewed(std::string_view code);
[[nodiscard]] std::string win_expired(std::string_view about, std::string_view admin_contact);
// "⌛ По счету 11-22-…, который теперь привязан к вам, был выигрыш: «Новый год», …. Срок
// его подтверждения истек, пока счет был без владельца. Чтобы продлить срок, свяжитесь с
// администратором @admin."
[[nodiscard]] std::string handed_over_expired(std::string_view account, std::string_view about,
                                              std::string_view admin_contact);
// "⏰ Напоминание: подтвердите выигрыш — «Новый год», ….\nОсталось 5 ч (до 27.11.2026 10:00
// UTC)."
[[nodiscard]] std::string claim_reminder(std::string_view about, Duration left, Instant deadline,
                                         const TimeZone& zone);
// "🔄 Срок подтверждения выигрыша продлён — «Новый год», ….\nОсталось 24 ч (до …)."
[[nodiscard]] std::string claim_extended(std::string_view about, Duration left, Instant deadline,
                                         const TimeZone& zone);
// "✅ К вашему профилю добавлен счет: 11-22-33-44-55-66-77"
[[nodiscard]] std::string account_added(std::string_view number);
// "✅ К вашему профилю добавлены счета (12):\n11-…\n33-…\n… и ещё 2": `lines` (raw) lists
// `listed` of the `count` accounts.
[[nodiscard]] std::string accounts_added(std::int64_t count, std::string_view lines,
                                         std::int64_t listed);

// "✅ Выигрыш #5 подтвержден победителем (кнопкой): «Новый год», …. Когда вручите приз:
// /prize_given 5"; "подтвержден по коду" when an admin typed the code.
[[nodiscard]] std::string admin_win_confirmed(std::string_view winner_id, bool by_button,
                                              std::string_view about);
// "⌛ В розыгрыше #1 «Новый год» истек срок подтверждения у выигрышей: 2.\nПереиграть:
// /redraw 1\nСтатус: /winner_status 1"
[[nodiscard]] std::string admin_wins_expired(std::string_view lottery_id,
                                             std::string_view lottery_title, std::int64_t count);
// "🎲 Проведён розыгрыш #1 «Новый год»: победителей — 3.\nСтатус: /winner_status 1", with
// ", не разыграны места: 4, 5" when `empty_places` (raw) names some.
[[nodiscard]] std::string admin_drawn(std::string_view lottery_id, std::string_view lottery_title,
                                      std::int64_t count, std::string_view empty_places);
// "🔁 Переигран розыгрыш #1 «Новый год»: победителей — 1.\nСтатус: /winner_status 1", as above.
[[nodiscard]] std::string admin_redrawn(std::string_view lottery_id, std::string_view lottery_title,
                                        std::int64_t count, std::string_view empty_places);
// "⚠️ Сообщение в чат 42 не доставлено: чат не найден."
[[nodiscard]] std::string undeliverable(std::int64_t chat, std::string_view reason);
// The line above, then "\nЭто уведомление о выигрыше #5 («Новый год», …): свяжитесь с
// победителем сами."
[[nodiscard]] std::string undeliverable_win(std::int64_t chat, std::string_view reason,
                                            std::string_view winner_id, std::string_view about);
// "📨 Уведомления победителям розыгрыша #1 «Новый год»: 12/40, не доставлено: 1 — готово ✅"
[[nodiscard]] std::string draw_progress(std::string_view lottery_id, std::string_view lottery_title,
                                        const DeliveryProgress& progress);
// "📄 Победители розыгрыша #1 «Новый год»: 3 строки."
[[nodiscard]] std::string winners_file(std::string_view lottery_id, std::string_view lottery_title,
                                       std::size_t rows);
// The new lottery for the public chat, before any entry is known: its prizes and the
// seed's commitment ("Новый розыгрыш №1 «Новый год»").
[[nodiscard]] std::string lottery_announced(const Lottery& lottery, DrawRandomness& randomness);
// "📄 Список участников розыгрыша №1 (часть 1 из 2), всего 150000: «позиция,счет» по
// порядку — для проверки розыгрыша."
[[nodiscard]] std::string entries_caption(LotteryId lottery, std::size_t entries, std::size_t part,
                                          std::size_t parts);

}  // namespace lottery::chat::text::notifications
