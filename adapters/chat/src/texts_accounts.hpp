#pragma once

// What admins read about clients' accounts (/add_account, /add_accounts,
// /remove_account, /list_accounts).

#include <optional>
#include <string>
#include <string_view>

#include "lottery/core/account_number.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/ids.hpp"

namespace lottery::chat::text::accounts {

inline constexpr std::string_view kSendLines =
    "Отправьте счета, по одному на строку: «КЛУБНАЯ_КАРТА СЧЕТ» или просто номер счета, "
    "например:\n2223 11-22-33-44-55-66-77\n33-44-55-66-77-88-99\n\nОтменить: /cancel";
inline constexpr std::string_view kSendLinesAsText = "Отправьте счета текстом или /cancel.";
inline constexpr std::string_view kWhichLottery = "В какой розыгрыш добавить эти счета?";
// The choice of no lottery, beside the open ones.
inline constexpr std::string_view kWithoutLottery = "Без розыгрыша";
inline constexpr std::string_view kChooseLottery = "Выберите розыгрыш кнопкой выше или /cancel.";
// Button answers to the choice of a lottery.
inline constexpr std::string_view kListHandled = "Этот список уже обработан.";
inline constexpr std::string_view kDone = "Готово";
inline constexpr std::string_view kNotDone = "Не выполнено";

// "✅ Счет 11-22-33-44-55-66-77 добавлен клиенту Иван (@ivan), id 42, карта 2223. Клиент
// получил уведомление."
[[nodiscard]] std::string added(const AddAccountOutcome& outcome, const ClubCard& card,
                                const AccountNumber& number);
// "📥 Счета: добавлено 2, без владельца 1, привязано 0, уже были 0, отклонено 1.\nСтрока 3
// («abc»): Неверный номер счета …", then the enrolment when the lines went into a lottery.
[[nodiscard]] std::string added_lines(const BulkAddReport& report, std::optional<LotteryId> lottery,
                                      std::string_view admin_contact);
// "✅ Счет 11-22-33-44-55-66-77 деактивирован: в новых розыгрышах он не участвует."
[[nodiscard]] std::string deactivated(const AccountNumber& number);

}  // namespace lottery::chat::text::accounts
