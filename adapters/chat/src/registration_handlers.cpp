// Registration, the profile, help and cancel (SPEC §4, client commands).

#include "buttons.hpp"
#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "parsing.hpp"
#include "texts.hpp"
#include "texts_registration.hpp"

namespace lottery::chat::handlers {

std::string menu(const Conversation& conversation) {
  std::string client_lines(text::registration::kClientCommands);
  std::string admin_lines(text::registration::kAdminCommands);
  for (const CommandEntry& entry : command_table()) {
    if (!entry.in_menu) continue;
    const std::string line = text::registration::menu_line(entry.name, entry.description);
    (entry.audience == Audience::kEveryone ? client_lines : admin_lines) += line;
  }
  return conversation.from_admin() ? client_lines + admin_lines : client_lines;
}

void start(const CommandCall& /*call*/, Conversation& conversation) {
  const auto user =
      conversation.checked(RegistrationService(conversation.deps).find_user(conversation.user.id));
  if (user && *user && (*user)->is_registered) {
    conversation.reply(
        text::registration::welcome_back(conversation.user.first_name, menu(conversation)),
        remove_keyboard());
    return;
  }
  save_step(conversation, DialogueStep::kRegistrationCard, "");
  conversation.reply(std::string(text::registration::kWelcome));
}

void help(const CommandCall& /*call*/, Conversation& conversation) {
  conversation.reply(menu(conversation));
}

void cancel(const CommandCall& call, Conversation& conversation) {
  if (call.interrupted_dialogue) {
    conversation.reply(std::string(text::registration::kCancelled), remove_keyboard());
  } else {
    conversation.reply(std::string(text::registration::kNothingToCancel));
  }
}

void my_account(const CommandCall& /*call*/, Conversation& conversation) {
  const auto view =
      conversation.checked(QueryService(conversation.deps).my_account(conversation.user.id));
  if (!view) {
    conversation.reply_error(view.error());
    return;
  }
  conversation.reply(text::registration::profile(*view));
}

void registration_card(const Dialogue& /*dialogue*/, const IncomingMessage& message,
                       Conversation& conversation) {
  const auto card = ClubCard::parse(message.text);
  if (!card) {
    conversation.reply(text::try_again(conversation.error_text(card.error())));
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
  conversation.reply(text::registration::card_accepted(*card), keyboard);
}

namespace {

// The phone a registration message gives: shared, typed, or skipped (nothing, and
// true). False when it answered with a refusal.
bool phone_of(const IncomingMessage& message, Conversation& conversation,
              std::optional<Phone>& phone) {
  if (message.contact) {
    if (message.contact->user_id != conversation.user.id) {
      conversation.reply(text::registration::own_phone_only());
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
      conversation.reply(text::registration::or_skip(conversation.error_text(parsed.error())));
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
    conversation.reply(std::string(text::registration::kStartAgain), remove_keyboard());
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
  conversation.reply(text::registration::registered(*user->verification_code), remove_keyboard());
}

}  // namespace lottery::chat::handlers
