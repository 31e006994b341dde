#include "texts_claims.hpp"

#include "texts.hpp"

namespace lottery::chat::text::claims {
namespace {

// The answer to /verify_winner after `opening`: which win, and the next step.
std::string verified_win(const char* opening, const Winner& win) {
  return std::string(opening) + text::place_and_prize(win.place, win.prize) + ", счет " +
         win.account_number.str() + ". Когда вручите приз: /prize_given " +
         std::to_string(win.id.value());
}

}  // namespace

std::string sms_sent(std::string_view masked_phone) {
  return "Код отправлен в СМС на " + std::string(masked_phone);
}

std::string enter_sms_code(std::string_view masked_phone) {
  return "📱 Чтобы подтвердить выигрыш, отправьте сюда код из СМС, которое пришло на " +
         text::escape(masked_phone) + " (6 цифр; код действует 10 минут).";
}

std::string confirmed_note(Instant claimed_at, const TimeZone& zone) {
  return "✅ <b>Выигрыш подтвержден</b> " + text::moment(claimed_at, zone);
}

std::string winners(LotteryId lottery, const LotteryWinners& view, bool unclaimed_only) {
  std::string html =
      (unclaimed_only ? "⏳ Неподтверждённые выигрыши розыгрыша #" : "🏆 Результаты розыгрыша #") +
      std::to_string(lottery.value()) + " " + text::title(view.lottery.title) + ":\n";
  if (view.rows.empty()) {
    html += unclaimed_only && view.lottery.drawn_at ? "Нет — все выигрыши подтверждены."
                                                    : "Розыгрыш ещё не проведён.";
  }
  bool any_expired = false;
  for (const WinnerRow& row : view.rows) {
    const Winner& win = row.winner;
    std::string who = "Счет: " + win.account_number.str();
    if (row.user) {
      who = (row.user->username.empty() ? text::escape(row.user->first_name)
                                        : "@" + text::escape(row.user->username)) +
            " (КК: " + (row.user->club_card ? text::escape(row.user->club_card->str()) : "—") +
            ", счет " + win.account_number.str() + ")";
    }
    html += std::to_string(win.place) + " место" +
            (win.round > 1 ? " (переигровка " + std::to_string(win.round - 1) + ")" : "") + " — " +
            who + " " + text::win_status(win, view.now) + " [#" + std::to_string(win.id.value()) +
            "]\n";
    any_expired = any_expired || win.is_expired_at(view.now);
  }
  if (any_expired) {
    html += "\nПереиграть истекшие: /redraw " + std::to_string(lottery.value()) +
            "\nПродлить срок: /extend_claim ID_ВЫИГРЫША [ЧАСЫ]";
  }
  return html;
}

std::string verify_candidates(const VerificationCode& code, LotteryId lottery,
                              const std::vector<Winner>& candidates) {
  std::string html = "У участника несколько выигрышей в этом розыгрыше, укажите счет:\n";
  for (const Winner& win : candidates) {
    html += "/verify_winner " + code.str() + " " + std::to_string(lottery.value()) + " " +
            win.account_number.str() + " — " + text::place_and_prize(win.place, win.prize) + "\n";
  }
  return html;
}

std::string verified(const Winner& win) { return verified_win("✅ Выигрыш подтвержден: ", win); }

std::string verified_before(const Winner& win) {
  return verified_win("Этот выигрыш уже был подтвержден: ", win);
}

std::string extended(WinnerId winner, Instant deadline, bool winner_told, const TimeZone& zone) {
  return "✅ Срок подтверждения выигрыша #" + std::to_string(winner.value()) + " продлён до " +
         text::moment(deadline, zone) +
         (winner_told ? ". Победитель получил уведомление."
                      : ". Уведомить некого: у счета нет владельца в боте, в силе публичное "
                        "объявление. Когда владелец зарегистрируется, привяжите счет "
                        "(/add_account КАРТА СЧЕТ) — он получит сообщение о выигрыше.");
}

std::string prize_given(WinnerId winner) {
  return "🎁 Приз по выигрышу #" + std::to_string(winner.value()) + " отмечен как вручённый.";
}

}  // namespace lottery::chat::text::claims
