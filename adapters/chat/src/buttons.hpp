#pragma once

// The data of the bot's inline buttons, parsed once into what they mean.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "lottery/chat/chat_types.hpp"
#include "lottery/core/ids.hpp"

namespace lottery::chat {

// «✅ Подтвердить выигрыш» under a winner message: "confirm_win_ID".
struct ConfirmWinButton {
  std::optional<WinnerId> winner;  // nothing: the id part is not an id (forged)
};

// The lottery chosen for a list of accounts (/add_accounts): "add_accounts:ID" or
// "add_accounts:none".
struct ChooseLotteryButton {
  bool valid{false};                 // false: neither an id nor "none" (forged)
  std::optional<LotteryId> lottery;  // nothing: «Без розыгрыша»
};

// «📄 Список участников» under /lottery_info of a drawn lottery: "entries_list:ID".
struct EntriesListButton {
  std::optional<LotteryId> lottery;  // nothing: the id part is not an id (forged)
};

// Anything else: no button of ours says it.
struct UnknownButton {};

using ButtonData =
    std::variant<ConfirmWinButton, ChooseLotteryButton, EntriesListButton, UnknownButton>;

[[nodiscard]] ButtonData parse_button(std::string_view data);
[[nodiscard]] std::string confirm_win_data(WinnerId winner);
[[nodiscard]] std::string choose_lottery_data(std::optional<LotteryId> lottery);

// The winner message's button.
[[nodiscard]] Markup confirm_markup(WinnerId winner);
// Under a drawn lottery's data: «📄 Список участников» and, with a page (PUBLIC_URL),
// «🔍 Проверить розыгрыш», which opens it (as a Mini App when `web_app`: private chats
// only). Either may be left out.
[[nodiscard]] Markup verify_markup(std::optional<LotteryId> list_of, const std::string& page_url,
                                   bool web_app);
[[nodiscard]] Markup remove_keyboard();

}  // namespace lottery::chat
