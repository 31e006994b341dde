#include "lottery/chat/chat_bot.hpp"

#include <variant>

#include "buttons.hpp"
#include "command_table.hpp"
#include "conversation.hpp"
#include "dialogues.hpp"
#include "handlers.hpp"
#include "lottery/chat/markup.hpp"
#include "lottery/core/conflict_retry.hpp"
#include "lottery/core/utc_zone.hpp"
#include "parsing.hpp"
#include "render.hpp"
#include "texts.hpp"

namespace lottery::chat {

const TimeZone& ChatSettings::zone() const {
  static const UtcZone utc;
  return time_zone != nullptr ? *time_zone : utc;
}
namespace {

// A message in a group: the bot only points to the private chat, and only when addressed.
void answer_in_group(const std::optional<CommandLine>& command, const ChatSettings& settings,
                     Conversation& conversation) {
  if (command && !command->addressee.empty() &&
      (command->name == "start" || command->name == "help")) {
    conversation.reply(text::private_chat_only(settings.bot_username));
  }
}

void run_command(const CommandLine& command, bool interrupted_dialogue,
                 Conversation& conversation) {
  const CommandEntry* entry = find_command(command.name);
  // Admin commands are invisible to everyone else: the same answer as a typo.
  if (entry == nullptr || (entry->audience == Audience::kAdmins && !conversation.from_admin())) {
    conversation.reply(std::string(text::kUnknownCommand));
    return;
  }
  entry->handler(CommandCall{*entry, command.arguments, interrupted_dialogue}, conversation);
}

void dispatch(const IncomingMessage& message, const ChatSettings& settings,
              Conversation& conversation) {
  conversation.chat = message.chat;
  conversation.user = message.from;
  const auto command = parse_command_line(message.text);
  if (command && !command->addressee.empty() &&
      !equals_ignoring_case(command->addressee, settings.bot_username)) {
    return;  // meant for another bot
  }
  if (!message.is_private) {
    answer_in_group(command, settings, conversation);
    return;
  }
  auto& dialogues = conversation.transaction.dialogues();
  const auto dialogue = dialogues.find(message.chat, message.from.id);
  if (command) {
    // A command ends any dialogue (/cancel says whether there was one).
    if (dialogue) dialogues.remove(message.chat, message.from.id);
    run_command(*command, dialogue.has_value(), conversation);
    return;
  }
  if (dialogue) {
    continue_dialogue(*dialogue, message, conversation);
    return;
  }
  conversation.reply(std::string(text::kNotUnderstood));
}

void dispatch(const ButtonPress& press, const ChatSettings& /*settings*/,
              Conversation& conversation) {
  conversation.chat = press.chat.value_or(private_chat_of(press.from.id));
  conversation.user = press.from;
  std::visit(
      [&](const auto& button) {
        using Button = std::decay_t<decltype(button)>;
        if constexpr (std::is_same_v<Button, ConfirmWinButton>) {
          handlers::confirm_win(press, button, conversation);
        } else if constexpr (std::is_same_v<Button, ChooseLotteryButton>) {
          handlers::choose_lottery_for_accounts(press, button, conversation);
        } else if constexpr (std::is_same_v<Button, EntriesListButton>) {
          handlers::entries_list(press, button, conversation);
        } else {
          handlers::refuse_unknown_button(press, conversation);
        }
      },
      parse_button(press.data));
}

// The replies and notices of a handled update, into the outbox of its transaction.
std::size_t enqueue_outcome(const Conversation& conversation) {
  for (const OutgoingMessage& message : conversation.replies) {
    Notification reply;
    reply.chat = message.chat;
    reply.kind = message.edit_message_id ? NotificationKind::kReplyEdit : NotificationKind::kReply;
    reply.text = message.html;
    reply.markup = encode_markup(message.markup);
    reply.reference = message.edit_message_id.value_or(0);
    reply.created_at = conversation.now;
    (void)conversation.transaction.outbox().enqueue(reply);
  }
  for (const Notification& notice : conversation.notices) {
    (void)conversation.transaction.outbox().enqueue(notice);
  }
  return conversation.replies.size() + conversation.notices.size();
}

}  // namespace

struct ChatBot::Impl {
  Dependencies deps;
  UpdateTransactionManager& updates;
  ChatSettings settings;

  // One attempt at an update, in a transaction of its own.
  UpdateOutcome handle_once(std::int64_t update_id, const ChatEvent& event) {
    auto transaction = updates.begin_update();
    const Instant now = deps.clock.now();
    // Claimed first: the claim is undone with the rest if the update fails.
    if (!transaction->updates().claim(update_id, now)) return UpdateOutcome{true, {}, 0};
    Conversation conversation(*transaction, deps, settings, now);
    std::visit([&](const auto& each) { dispatch(each, settings, conversation); }, event);
    const std::size_t queued = enqueue_outcome(conversation);
    transaction->commit();
    return UpdateOutcome{false, conversation.answer, queued};
  }

  // The update is the unit that is tried again after a conflict (the use cases inside
  // leave it to this loop: ConflictRetry::kByCaller). A rejected update is given up
  // (and skipped); an unavailable store is retried by the transport.
  Result<UpdateOutcome> handle(std::int64_t update_id, const ChatEvent& event) {
    try {
      return retry_conflicts([&] { return handle_once(update_id, event); });
    } catch (const StorageError& error) {
      return tl::unexpected(storage_failure(error));
    }
  }
};

ChatBot::ChatBot(Dependencies dependencies, UpdateTransactionManager& updates,
                 ChatSettings chat_settings)
    : impl_(std::make_unique<Impl>(
          Impl{std::move(dependencies), updates, std::move(chat_settings)})) {}

ChatBot::~ChatBot() = default;

Result<UpdateOutcome> ChatBot::handle(std::int64_t update_id, const ChatEvent& event) {
  return impl_->handle(update_id, event);
}

std::vector<OutgoingMessage> ChatBot::render(const Notification& notification) {
  return render_notification(impl_->deps, impl_->settings, notification);
}

std::vector<BotCommand> ChatBot::client_commands() {
  std::vector<BotCommand> commands;
  for (const CommandEntry& entry : command_table()) {
    if (entry.in_menu && entry.audience == Audience::kEveryone) {
      commands.push_back({std::string(entry.name), std::string(entry.description)});
    }
  }
  return commands;
}

std::vector<BotCommand> ChatBot::admin_commands() {
  std::vector<BotCommand> commands;
  for (const CommandEntry& entry : command_table()) {
    if (entry.in_menu)
      commands.push_back({std::string(entry.name), std::string(entry.description)});
  }
  return commands;
}

}  // namespace lottery::chat
