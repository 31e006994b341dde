#include "dialogues.hpp"

#include <array>
#include <string_view>

#include "handlers.hpp"
#include "texts.hpp"

namespace lottery::chat {
namespace {

using StepHandler = void (*)(const Dialogue& dialogue, const IncomingMessage& message,
                             Conversation& conversation);

struct StepEntry {
  DialogueStep step;
  std::string_view name;  // as stored
  std::string_view step_name;
  bool admins_only;
  StepHandler handler;
};

constexpr std::array kSteps{
    StepEntry{DialogueStep::kRegistrationCard, "register", "card", false,
              &handlers::registration_card},
    StepEntry{DialogueStep::kRegistrationPhone, "register", "phone", false,
              &handlers::registration_phone},
    StepEntry{DialogueStep::kLotteryPrizes, "new_lottery", "prizes", true,
              &handlers::lottery_prizes},
    StepEntry{DialogueStep::kAccountLines, "add_accounts", "lines", true, &handlers::account_lines},
    StepEntry{DialogueStep::kAccountLottery, "add_accounts", "lottery", false,
              &handlers::account_lottery_reminder},
    StepEntry{DialogueStep::kSmsCode, "confirm_win", "sms_code", false, &handlers::sms_code},
};

const StepEntry* entry_of(const Dialogue& dialogue) {
  for (const StepEntry& entry : kSteps) {
    if (entry.name == dialogue.name && entry.step_name == dialogue.step) return &entry;
  }
  return nullptr;
}

}  // namespace

std::optional<DialogueStep> step_of(const Dialogue& dialogue) {
  const StepEntry* entry = entry_of(dialogue);
  return entry ? std::optional{entry->step} : std::nullopt;
}

void save_step(Conversation& conversation, DialogueStep step, std::string data) {
  for (const StepEntry& entry : kSteps) {
    if (entry.step != step) continue;
    conversation.transaction.dialogues().save(
        Dialogue{conversation.chat, conversation.user.id, std::string(entry.name),
                 std::string(entry.step_name), std::move(data), conversation.now});
    return;
  }
}

void continue_dialogue(const Dialogue& dialogue, const IncomingMessage& message,
                       Conversation& conversation) {
  const StepEntry* entry = entry_of(dialogue);
  // An admin's dialogue whose person is no longer an admin ends like an unknown one.
  if (entry == nullptr || (entry->admins_only && !conversation.from_admin())) {
    conversation.transaction.dialogues().remove(dialogue.chat, dialogue.user);
    conversation.reply(std::string(text::kNotUnderstood));
    return;
  }
  entry->handler(dialogue, message, conversation);
}

}  // namespace lottery::chat
