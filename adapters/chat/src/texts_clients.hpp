#pragma once

// What admins read when they look clients up and fix them (/find, /list_accounts,
// /move_account, /new_code).

#include <string>
#include <vector>

#include "lottery/core/client_service.hpp"
#include "lottery/core/time.hpp"

namespace lottery::chat::text::clients {

// "👤 Анна (@anna), id 123456789, карта 2223\nТелефон: +79001112233\nСчета (1):\n• 11-22-…\n
// Выигрыши (1):\n• #1 «Новый год», 1 место — iPhone 15, счет …: ✅ Подтвержден [#5]"; each
// card after the other, with how many were found when more than one.
[[nodiscard]] std::string cards(const std::vector<ClientCard>& found, Instant now);
// "👤 Анна (@anna), id 123456789, карта 2223\n• 11-22-33-44-55-66-77\n…": the accounts only.
[[nodiscard]] std::string accounts(const std::vector<ClientCard>& found);
// "✅ Счет … передан: Борис (@boris), id 2, карта 4445 (был у Анна …). Неподтверждённые
// выигрыши по счету переданы вместе с ним: 1." or that it is theirs already.
[[nodiscard]] std::string moved(const MovedAccount& moved);
// "✅ Новый код верификации отправлен клиенту Анна (@anna), id 1, карта 2223. Прежний
// больше не действует."
[[nodiscard]] std::string new_code_sent(const User& user);

}  // namespace lottery::chat::text::clients
