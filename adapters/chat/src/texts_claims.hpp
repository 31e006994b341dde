#pragma once

// What winners and admins read about confirming wins, their status, deadlines and prizes.

#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/ids.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/time.hpp"
#include "lottery/core/verification_code.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::chat::text::claims {

// Button answers to the winner's confirmation.
inline constexpr std::string_view kAlreadyConfirmed = "Этот выигрыш уже подтвержден.";
inline constexpr std::string_view kConfirmed = "✅ Выигрыш подтвержден!";
// R-2FA-1: the popup of the button when a code went by SMS: "Код отправлен в СМС на +7 ***
// ***-**-33".
[[nodiscard]] std::string sms_sent(std::string_view masked_phone);
// "📱 Чтобы подтвердить выигрыш, отправьте сюда код из СМС, которое пришло на +7 … (6 цифр;
// код действует 10 минут)."
[[nodiscard]] std::string enter_sms_code(std::string_view masked_phone);

// "✅ <b>Выигрыш подтвержден</b> 27.11.2026 10:00 UTC", under the winner message.
[[nodiscard]] std::string confirmed_note(Instant claimed_at, const TimeZone& zone);
// "🏆 Результаты розыгрыша #1 «Новый год»:\n1 место — @ivan (КК: 2223, счет 11-…) ✅
// Подтвержден [#5]\n…"; only the unconfirmed ones ("⏳ Неподтверждённые выигрыши …") when
// `unclaimed_only`.
[[nodiscard]] std::string winners(LotteryId lottery, const LotteryWinners& view,
                                  bool unclaimed_only);
// "У участника несколько выигрышей в этом розыгрыше, укажите счет:\n/verify_winner AB23CD45 1
// 11-22-33-44-55-66-77 — 1 место — iPhone 15\n…"
[[nodiscard]] std::string verify_candidates(const VerificationCode& code, LotteryId lottery,
                                            const std::vector<Winner>& candidates);
// "✅ Выигрыш подтвержден: 1 место — iPhone 15, счет 11-22-33-44-55-66-77. Когда вручите
// приз: /prize_given 5"
[[nodiscard]] std::string verified(const Winner& win);
// "Этот выигрыш уже был подтвержден: 1 место — iPhone 15, счет …. Когда вручите приз:
// /prize_given 5"
[[nodiscard]] std::string verified_before(const Winner& win);
// "✅ Срок подтверждения выигрыша #5 продлён до 27.11.2026 10:00 UTC. Победитель получил
// уведомление." or, when the account has no owner in the bot, that nobody could be told.
[[nodiscard]] std::string extended(WinnerId winner, Instant deadline, bool winner_told,
                                   const TimeZone& zone);
// "🎁 Приз по выигрышу #5 отмечен как вручённый."
[[nodiscard]] std::string prize_given(WinnerId winner);

}  // namespace lottery::chat::text::claims
