#pragma once

// The bot's Russian: every text a client or an admin reads lives in the texts files, so the
// handlers hold no words. This one has the general texts and the formatting the others
// share; texts_<area>.hpp each area's own (accounts, claims, lotteries, notifications,
// registration, reports). messages.hpp builds the messages handlers and notifications share.

#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/time.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/time_zone.hpp"

namespace lottery::chat::text {

// The registration keyboard's buttons (and what typing «пропустить» means).
inline constexpr std::string_view kSkip = "Пропустить";
inline constexpr std::string_view kSkipTyped = "пропустить";
inline constexpr std::string_view kShareContact = "📱 Поделиться номером";
// The button under a winner message.
inline constexpr std::string_view kConfirmWin = "✅ Подтвердить выигрыш";
inline constexpr std::string_view kVerifyDraw = "🔍 Проверить розыгрыш";
inline constexpr std::string_view kEntriesList = "📄 Список участников";

// The general answers of the chat, whatever the area.
inline constexpr std::string_view kUnknownCommand = "Неизвестная команда. Список команд: /help";
inline constexpr std::string_view kNotUnderstood = "Не понимаю. Список команд: /help";
inline constexpr std::string_view kButtonExpired = "Эта кнопка больше не действует.";

// "Я работаю в личных сообщениях: напишите мне @lottery_bot."
[[nodiscard]] std::string private_chat_only(std::string_view bot_username);
// "Использование: /redraw ID_РОЗЫГРЫША"
[[nodiscard]] std::string usage(std::string_view command_usage);
// "Срок — целое число часов от 1 до 720. Попробуйте ещё раз или /cancel."
[[nodiscard]] std::string try_again(std::string_view refusal);

// Escapes user-provided text for Telegram's HTML parse mode.
[[nodiscard]] std::string escape(std::string_view text);

// "5 ч 12 мин", "3 мин", "меньше минуты"; "истёк" when nothing is left.
[[nodiscard]] std::string remaining(Duration left);
// "27.11.2026 13:00 MSK": the civil time in the club's zone, with the zone's name.
[[nodiscard]] std::string moment(Instant at, const TimeZone& zone);
// The Russian plural of a count: "1 час", "2 часа", "5 часов".
[[nodiscard]] std::string plural(long long count, const char* one, const char* few,
                                 const char* many);
// "24 часа", "90 минут", "3 секунды": a claim window in words.
[[nodiscard]] std::string window(std::chrono::seconds length);

// One line for a refusal of the core.
[[nodiscard]] std::string error(const Error& error, std::string_view admin_contact);
// Each line escaped as by escape(), the line breaks kept.
[[nodiscard]] std::string escape_lines(std::string_view text);
// "открыт", "проведён", …
[[nodiscard]] std::string lottery_status(LotteryStatus status);
// Who a client is, for an admin: name (@username), id N, карта C.
[[nodiscard]] std::string holder(const User& user);
// Why a message could not be delivered, from the sender's "CODE: description".
[[nodiscard]] std::string undeliverable_reason(std::string_view reason);

// «Название» (escaped, in quotes)
[[nodiscard]] std::string title(std::string_view lottery_title);
// "1 место — iPhone 15"
[[nodiscard]] std::string place_and_prize(int place, std::string_view prize);
// "✅ Подтвержден", "⏳ Ожидает подтверждения (осталось ...)", ...
[[nodiscard]] std::string win_status(const Winner& win, Instant now);

// At most `limit` characters of UTF-8 text, never cutting a character in two, with
// "…" when something was cut.
[[nodiscard]] std::string shorten(std::string_view text, std::size_t limit);

// Splits a long text at line ends into messages of at most `limit` characters.
[[nodiscard]] std::vector<std::string> split_message(const std::string& text,
                                                     std::size_t limit = 4096);

}  // namespace lottery::chat::text
