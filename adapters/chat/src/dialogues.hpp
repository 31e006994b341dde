#pragma once

// The dialogues: steps a person is in the middle of, kept in the store between their
// messages (the name and step strings are what the store holds).

#include <optional>
#include <string>

#include "conversation.hpp"
#include "lottery/ports/dialogue_repository.hpp"

namespace lottery::chat {

enum class DialogueStep {
  kRegistrationCard,   // /start: waiting for the club card
  kRegistrationPhone,  // then the phone, or «Пропустить» (data: the card)
  kLotteryPrizes,      // /new_lottery: waiting for the prizes (data: the title)
  kAccountLines,       // /add_accounts: waiting for the lines
  kAccountLottery,     // then a lottery chosen by button (data: the lines)
  kSmsCode,            // R-2FA-1: waiting for the SMS code (data: "WINNER_ID MESSAGE_ID")
};

// The step a stored dialogue is at; nothing for one this version does not know.
[[nodiscard]] std::optional<DialogueStep> step_of(const Dialogue& dialogue);
// Opens (or moves to) `step` for the person of the conversation.
void save_step(Conversation& conversation, DialogueStep step, std::string data);
// Hands a message to the handler of the dialogue's step.
void continue_dialogue(const Dialogue& dialogue, const IncomingMessage& message,
                       Conversation& conversation);

}  // namespace lottery::chat
