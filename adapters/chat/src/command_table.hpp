#pragma once

// Every command of the bot, in one table: routing, /help, the menus registered with
// Telegram and the usage answers all come from it. Adding a command is one entry here,
// one handler in the file of its area, and its texts.

#include <span>
#include <string>
#include <string_view>

#include "conversation.hpp"

namespace lottery::chat {

enum class Audience {
  kEveryone,  // clients (and admins)
  kAdmins,    // invisible and refused for everyone else: answered as a typo
};

struct CommandEntry;

// A command as it was called.
struct CommandCall {
  const CommandEntry& entry;
  std::string arguments;             // trimmed
  bool interrupted_dialogue{false};  // a dialogue was open: the command ended it
};

using CommandHandler = void (*)(const CommandCall& call, Conversation& conversation);

struct CommandEntry {
  std::string_view name;  // without '/'
  Audience audience;
  // The usage answered to malformed arguments, e.g. "/redraw ID_РОЗЫГРЫША".
  std::string_view usage;
  std::string_view description;  // in /help and Telegram's menu
  CommandHandler handler;
  bool in_menu{true};  // an alias (/register) is routed but not listed
};

// The commands in menu order: clients' first, then admins'.
[[nodiscard]] std::span<const CommandEntry> command_table();
// The entry named so, if any (admin-only ones included: the caller checks the audience).
[[nodiscard]] const CommandEntry* find_command(std::string_view name);
// Answers "Использование: …" with the command's usage.
void answer_usage(const CommandCall& call, Conversation& conversation);

}  // namespace lottery::chat
