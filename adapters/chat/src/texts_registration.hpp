#pragma once

// What a client reads while registering, in the profile, in /help and on /cancel.

#include <string>
#include <string_view>

#include "lottery/core/club_card.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/verification_code.hpp"

namespace lottery::chat::text::registration {

// The headings of the command list, for clients and then admins.
inline constexpr std::string_view kClientCommands = "Ваши команды:\n";
inline constexpr std::string_view kAdminCommands = "\nКоманды администратора:\n";
inline constexpr std::string_view kWelcome =
    "Добро пожаловать в лотерею клуба! 🎉\n\nДля регистрации введите номер вашей клубной "
    "карты (только цифры, например 2223).\nОтменить: /cancel";
inline constexpr std::string_view kCancelled = "Действие отменено.";
inline constexpr std::string_view kNothingToCancel = "Нечего отменять.";
inline constexpr std::string_view kStartAgain = "Начните регистрацию заново: /register";

// "/help — список команд\n": one line of the command list (the description escaped).
[[nodiscard]] std::string menu_line(std::string_view name, std::string_view description);
// "👋 С возвращением, Иван! Вы зарегистрированы.\n\n" and the command list.
[[nodiscard]] std::string welcome_back(std::string_view first_name, std::string_view menu);
// "👤 <b>Ваш профиль</b>\nКлубная карта: 2223\nТелефон: не указан\nКод верификации: …",
// then the accounts and the wins.
[[nodiscard]] std::string profile(const MyAccount& view);
// "Карта 2223 принята. Поделитесь номером телефона кнопкой ниже, введите его или нажмите
// «Пропустить»."
[[nodiscard]] std::string card_accepted(const ClubCard& card);
// "Отправьте, пожалуйста, свой собственный номер кнопкой «📱 Поделиться номером»."
[[nodiscard]] std::string own_phone_only();
// "Не похоже на номер телефона. Пример: +7 912 345-67-89. Или нажмите «Пропустить»."
[[nodiscard]] std::string or_skip(std::string_view refusal);
// "✅ Регистрация завершена!\n\nВаш код верификации: <code>AB23CD45</code>. Сохраните его!…"
[[nodiscard]] std::string registered(const VerificationCode& code);

}  // namespace lottery::chat::text::registration
