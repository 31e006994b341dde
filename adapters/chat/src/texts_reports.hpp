#pragma once

// What admins read in the reports (/stats) and about the winners' file (/export).

#include <string>
#include <string_view>

#include "lottery/core/ids.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::chat::text::reports {

// The club's notes' name for wins without a club card.
inline constexpr std::string_view kNoData = "Нет данных";

// "📊 <b>Победители по клубным картам</b>\n2223 Иван: выигрышей 2, подтверждено 1\n…
// Нет данных: выигрышей 1, подтверждено 0", then the most entered accounts (and, when
// `more_accounts`, where the full list is) and the unclaimed wins past their deadline.
[[nodiscard]] std::string stats(const Stats& stats, bool more_accounts, const TimeZone& zone);
// "Розыгрыш #7 ещё не проведён: победителей нет."
[[nodiscard]] std::string not_drawn(LotteryId lottery);

}  // namespace lottery::chat::text::reports
