// Registration, the profile, help and cancel (SPEC §4, client commands).

#include "buttons.hpp"
#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "parsing.hpp"
#include "texts.hpp"

namespace lottery::chat::handlers {

std::string menu(const Conversation& conversation) {
  std::string client_lines = "Ваши команды:\n";
  std::string admin_lines = "\nКоманды администратора:\n";
  for (const CommandEntry& entry : command_table()) {
    if (!entry.in_menu) continue;
    const std::string line =
        "/" + std::string(entry.name) + " — " + text::escape(entry.description) + "\n";
    (entry.audience == Audience::kEveryone ? client_lines : admin_lines) += line;
  }
  return conversation.from_admin() ? client_lines + admin_lines : client_lines;
}

void start(const CommandCall& /*call*/, Conversation& conversation) {
  const auto user =
      conversation.checked(RegistrationService(conversation.deps).find_user(conversation.user.id));
  if (user && *user && (*user)->is_registered) {
    conversation.reply("👋 С возвращением, " + text::escape(conversation.user.first_name) +
                           "! Вы зарегистрированы.\n\n" + menu(conversation),
                       remove_keyboard());
    return;
  }
  save_step(conversation, DialogueStep::kRegistrationCard, "");
  conversation.reply(
      "Добро пожаловать в лотерею клуба! 🎉\n\nДля регистрации введите номер вашей клубной "
      "карты (только цифры, например 2223).\nОтменить: /cancel");
}

void help(const CommandCall& /*call*/, Conversation& conversation) {
  conversation.reply(menu(conversation));
}

void cancel(const CommandCall& call, Conversation& conversation) {
  if (call.interrupted_dialogue) {
    conversation.reply("Действие отменено.", remove_keyboard());
  } else {
    conversation.reply("Нечего отменять.");
  }
}

void my_account(const CommandCall& /*call*/, Conversation& conversation) {
  const auto view =
      conversation.checked(QueryService(conversation.deps).my_account(conversation.user.id));
  if (!view) {
    conversation.reply_error(view.error());
    return;
  }
  const User& user = view->user;
  std::string html = "👤 <b>Ваш профиль</b>\nКлубная карта: " + text::escape(user.club_card->str()) +
                     "\nТелефон: " + (user.phone ? text::escape(user.phone->str()) : "не указан") +
                     "\nКод верификации: <code>" + user.verification_code->str() + "</code>\n\n";
  html += "💳 <b>Счета</b>\n";
  if (view->active_accounts.empty()) html += "Пока нет. Счета добавляет администратор.\n";
  for (const Account& account : view->active_accounts) html += "• " + account.number.str() + "\n";
  html += "\n🏆 <b>Выигрыши</b>\n";
  if (view->wins.empty()) html += "Пока нет.\n";
  for (const WinView& win : view->wins) {
    html += "• " + text::title(win.lottery_title) + ", " +
            text::place_and_prize(win.winner.place, win.winner.prize) + " (счет " +
            win.winner.account_number.str() + "): " + text::win_status(win.winner, view->now) +
            "\n";
  }
  conversation.reply(html);
}

void registration_card(const Dialogue& /*dialogue*/, const IncomingMessage& message,
                       Conversation& conversation) {
  const auto card = ClubCard::parse(message.text);
  if (!card) {
    conversation.reply(conversation.error_text(card.error()) + " Попробуйте ещё раз или /cancel.");
    return;
  }
  const auto free = conversation.checked(
      RegistrationService(conversation.deps).check_card(conversation.user.id, *card));
  if (!free) {
    conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
    conversation.reply_error(free.error());
    return;
  }
  save_step(conversation, DialogueStep::kRegistrationPhone, card->str());
  Markup keyboard;
  keyboard.kind = Markup::Kind::kKeyboard;
  keyboard.keyboard_rows = {{KeyboardButton{std::string(text::kShareContact), true}},
                            {KeyboardButton{std::string(text::kSkip), false}}};
  conversation.reply("Карта " + text::escape(card->str()) +
                         " принята. Поделитесь номером телефона кнопкой ниже, введите его или "
                         "нажмите «Пропустить».",
                     keyboard);
}

namespace {

// The phone a registration message gives: shared, typed, or skipped (nothing, and
// true). False when it answered with a refusal.
bool phone_of(const IncomingMessage& message, Conversation& conversation,
              std::optional<Phone>& phone) {
  if (message.contact) {
    if (message.contact->user_id != conversation.user.id) {
      conversation.reply("Отправьте, пожалуйста, свой собственный номер кнопкой «" +
                         std::string(text::kShareContact) + "».");
      return false;
    }
    auto parsed = Phone::parse(message.contact->phone_number);
    if (!parsed) {
      conversation.reply_error(parsed.error());
      return false;
    }
    phone = *parsed;
  } else if (!equals_ignoring_case(trim(message.text), text::kSkip)) {
    auto parsed = Phone::parse(message.text);
    if (!parsed) {
      conversation.reply(conversation.error_text(parsed.error()) + " Или нажмите «Пропустить».");
      return false;
    }
    phone = *parsed;
  }
  return true;
}

}  // namespace

void registration_phone(const Dialogue& dialogue, const IncomingMessage& message,
                        Conversation& conversation) {
  std::optional<Phone> phone;
  if (!phone_of(message, conversation, phone)) return;
  const auto card = ClubCard::parse(dialogue.data);
  conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
  if (!card) {
    conversation.reply("Начните регистрацию заново: /register", remove_keyboard());
    return;
  }
  const auto user = conversation.checked(
      RegistrationService(conversation.deps)
          .register_user(RegistrationRequest{conversation.user.id, conversation.user.username,
                                             conversation.user.first_name, *card, phone}));
  if (!user) {
    conversation.reply(conversation.error_text(user.error()), remove_keyboard());
    return;
  }
  conversation.reply("✅ Регистрация завершена!\n\nВаш код верификации: <code>" +
                         user->verification_code->str() +
                         "</code>. Сохраните его!\nОн понадобится, чтобы подтвердить выигрыш у "
                         "администратора. Посмотреть его снова: /my_account",
                     remove_keyboard());
}

}  // namespace lottery::chat::handlers
