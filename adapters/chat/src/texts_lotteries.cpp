#include "texts_lotteries.hpp"

#include "lottery/core/draw_publication.hpp"
#include "messages.hpp"
#include "texts.hpp"

namespace lottery::chat::text::lotteries {

std::string not_found(LotteryId lottery) {
  return "Розыгрыш #" + std::to_string(lottery.value()) + " не найден.";
}

std::string ask_prizes(std::string_view lottery_title) {
  return "Розыгрыш " + text::title(lottery_title) +
         ". Введите призы, по одному на строку «МЕСТО ПРИЗ», например:\n"
         "1 iPhone 15\n2 Наушники\n\nОтменить: /cancel";
}

std::string created(const Lottery& lottery, DrawRandomness& randomness) {
  std::string html = "✅ Розыгрыш #" + std::to_string(lottery.id.value()) + " " +
                     text::title(lottery.title) + " создан.\nПризы:\n";
  for (const Prize& prize : lottery.prizes) {
    html += text::place_and_prize(prize.place, prize.text) + "\n";
  }
  const std::string id = std::to_string(lottery.id.value());
  html += "\nДобавьте участников: /enroll " + id + " all (все активные счета), /enroll " + id +
          " СЧЕТ... или /add_accounts.\nПровести: /draw " + id + "\n\n" +
          message::fairness(randomness, lottery, false);
  return html;
}

std::string listing(const std::vector<Lottery>& list) {
  std::string html = "🎲 <b>Розыгрыши</b>\n";
  for (const Lottery& lottery : list) {
    html += "#" + std::to_string(lottery.id.value()) + " " + text::title(lottery.title) + " — " +
            text::lottery_status(lottery.status) +
            ", мест: " + std::to_string(lottery.prizes.size()) + "\n";
  }
  return html;
}

std::string drawn(const DrawReport& report, DrawRandomness& randomness) {
  const std::string id = std::to_string(report.lottery.id.value());
  std::string html = "🎲 Розыгрыш #" + id + " " + text::title(report.lottery.title) +
                     " проведён среди " + std::to_string(report.entries) + " участников.\n\n";
  for (const Winner& winner : report.winners) {
    html += text::place_and_prize(winner.place, winner.prize) + ": счет " +
            winner.account_number.str() + (winner.user ? "" : " (без владельца)") + "\n";
  }
  for (const Prize& empty : report.empty_places) {
    html +=
        text::place_and_prize(empty.place, empty.text) + ": не разыграно — не хватило участников\n";
  }
  return html + "\nСрок подтверждения: " + text::window(report.lottery.claim_window) +
         ". Статус: /winner_status " + id + "\n\n" +
         message::fairness(randomness, report.lottery, true,
                           accounts_in_draw_order(report.winners));
}

std::string redrawn(LotteryId lottery, const RedrawReport& report) {
  std::string html = "🔁 Переигровка розыгрыша #" + std::to_string(lottery.value()) + " " +
                     text::title(report.lottery.title) + ":\n";
  for (const Winner& winner : report.winners) {
    html += text::place_and_prize(winner.place, winner.prize) + ": новый победитель — счет " +
            winner.account_number.str() + "\n";
  }
  for (const Prize& empty : report.empty_places) {
    html += text::place_and_prize(empty.place, empty.text) +
            ": не осталось участников, место не разыграно\n";
  }
  return html;
}

std::string info(const LotteryInfo& info, DrawRandomness& randomness, const TimeZone& zone,
                 bool with_button) {
  const Lottery& lottery = info.lottery;
  const bool drawn = lottery.drawn_at.has_value();
  std::string html = "🎟 <b>Розыгрыш #" + std::to_string(lottery.id.value()) + " " +
                     text::title(lottery.title) + "</b>\nСтатус: " +
                     (drawn ? "проведён " + text::moment(*lottery.drawn_at, zone) : "открыт") +
                     "\nУчастников: " + std::to_string(info.entries) + "\nПризы:\n";
  for (const Prize& prize : lottery.prizes) {
    html += text::place_and_prize(prize.place, prize.text) + "\n";
  }
  html += "\n" + message::fairness(randomness, lottery, drawn, info.winners_in_draw_order);
  if (lottery.publishes_draw()) html += message::how_to_verify(with_button);
  return html;
}

}  // namespace lottery::chat::text::lotteries
