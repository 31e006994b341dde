#pragma once

// What admins read in the reports (/stats) and about the winners' file (/export).

#include <string>

#include "lottery/core/ids.hpp"
#include "lottery/core/query_service.hpp"

namespace lottery::chat::text::reports {

// "📊 <b>Победители по клубным картам</b>\n2223 Иван: выигрышей 2, подтверждено 1\n…", then
// the most entered accounts and the unclaimed wins past their deadline.
[[nodiscard]] std::string stats(const Stats& stats);
// "Розыгрыш #7 ещё не проведён: победителей нет."
[[nodiscard]] std::string not_drawn(LotteryId lottery);

}  // namespace lottery::chat::text::reports
