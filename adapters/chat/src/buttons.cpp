#include "buttons.hpp"

#include "parsing.hpp"
#include "texts.hpp"

namespace lottery::chat {
namespace {

constexpr std::string_view kConfirmPrefix = "confirm_win_";
constexpr std::string_view kChooseLotteryPrefix = "add_accounts:";
constexpr std::string_view kNoLottery = "none";
constexpr std::string_view kEntriesListPrefix = "entries_list:";

}  // namespace

ButtonData parse_button(std::string_view data) {
  if (data.starts_with(kConfirmPrefix)) {
    return ConfirmWinButton{parse_id<WinnerId>(data.substr(kConfirmPrefix.size()))};
  }
  if (data.starts_with(kChooseLotteryPrefix)) {
    const std::string_view choice = data.substr(kChooseLotteryPrefix.size());
    if (choice == kNoLottery) return ChooseLotteryButton{true, std::nullopt};
    const auto lottery = parse_id<LotteryId>(choice);
    return ChooseLotteryButton{lottery.has_value(), lottery};
  }
  if (data.starts_with(kEntriesListPrefix)) {
    return EntriesListButton{parse_id<LotteryId>(data.substr(kEntriesListPrefix.size()))};
  }
  return UnknownButton{};
}

std::string confirm_win_data(WinnerId winner) {
  return std::string(kConfirmPrefix) + std::to_string(winner.value());
}

std::string choose_lottery_data(std::optional<LotteryId> lottery) {
  return std::string(kChooseLotteryPrefix) +
         (lottery ? std::to_string(lottery->value()) : std::string(kNoLottery));
}

Markup confirm_markup(WinnerId winner) {
  Markup markup;
  markup.kind = Markup::Kind::kInline;
  markup.inline_rows = {{InlineButton{std::string(text::kConfirmWin), confirm_win_data(winner)}}};
  return markup;
}

Markup verify_markup(std::optional<LotteryId> list_of, const std::string& page_url, bool web_app) {
  Markup markup;
  if (!page_url.empty()) {
    markup.inline_rows.push_back(
        {InlineButton{std::string(text::kVerifyDraw), {}, page_url, web_app}});
  }
  if (list_of) {
    markup.inline_rows.push_back(
        {InlineButton{std::string(text::kEntriesList),
                      std::string(kEntriesListPrefix) + std::to_string(list_of->value())}});
  }
  if (!markup.inline_rows.empty()) markup.kind = Markup::Kind::kInline;
  return markup;
}

Markup remove_keyboard() {
  Markup markup;
  markup.kind = Markup::Kind::kRemoveKeyboard;
  return markup;
}

}  // namespace lottery::chat
