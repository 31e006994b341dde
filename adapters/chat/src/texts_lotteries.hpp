#pragma once

// What admins (and, for /lottery_info, anyone) read about lotteries: creating, listing,
// drawing, redrawing.

#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::chat::text::lotteries {

// The answers to «📄 Список участников».
inline constexpr std::string_view kEntriesListComing = "Отправляю список участников файлом.";
inline constexpr std::string_view kEntriesListSentAlready =
    "Список уже отправлен в этот чат — он выше в переписке. Повторно — через час.";
inline constexpr std::string_view kNoEntriesList =
    "Список публикуется после розыгрыша, проведённого с проверкой честности.";

inline constexpr std::string_view kNone = "Розыгрышей пока нет. Создать: /new_lottery НАЗВАНИЕ";

// "Розыгрыш #7 не найден."
[[nodiscard]] std::string not_found(LotteryId lottery);
// "Розыгрыш «Новый год». Введите призы, по одному на строку «МЕСТО ПРИЗ», например:\n…"
[[nodiscard]] std::string ask_prizes(std::string_view lottery_title);
// "✅ Розыгрыш #1 «Новый год» создан.\nПризы:\n1 место — iPhone 15\n…\nДобавьте участников:
// …", then the fairness data.
[[nodiscard]] std::string created(const Lottery& lottery, DrawRandomness& randomness);
// "🎲 <b>Розыгрыши</b>\n#1 «Новый год» — открыт, мест: 3\n…"
[[nodiscard]] std::string listing(const std::vector<Lottery>& list);
// "🎲 Розыгрыш #1 «Новый год» проведён среди 40 участников.\n\n1 место — iPhone 15: счет …",
// then the claim window and the fairness data.
[[nodiscard]] std::string drawn(const DrawReport& report, DrawRandomness& randomness);
// "🔁 Переигровка розыгрыша #1 «Новый год»:\n1 место — iPhone 15: новый победитель — счет …"
[[nodiscard]] std::string redrawn(LotteryId lottery, const RedrawReport& report);
// "🎟 <b>Розыгрыш #1 «Новый год»</b>\nСтатус: открыт\n…"
// with the entries, the prizes and the fairness data.
[[nodiscard]] std::string info(const LotteryInfo& info, DrawRandomness& randomness,
                               const TimeZone& zone, bool with_button);

}  // namespace lottery::chat::text::lotteries
