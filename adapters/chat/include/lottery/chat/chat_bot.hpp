#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lottery/chat/chat_types.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/ports/time_zone.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::chat {

struct ChatSettings {
  std::string bot_username;   // without '@': commands addressed to other bots are ignored
  std::string admin_contact;  // shown to winners, e.g. "@club_admin"
  // The club's zone for every time shown (R-TIME-1); UTC when none. Not owned: it
  // outlives the bot.
  const TimeZone* time_zone{nullptr};
  // PUBLIC_URL without a trailing '/': where the bot serves the draw verifier page
  // (R-VERIFY-1); empty: drawn lotteries are checked with the attached entry list.
  std::string public_url;

  // The zone to show times in.
  [[nodiscard]] const TimeZone& zone() const;
};

struct UpdateOutcome {
  bool duplicate{false};               // handled before: nothing was done
  std::optional<ButtonAnswer> answer;  // for a button press: send it right away
  std::size_t queued{0};               // messages put in the outbox
};

// The conversations of SPEC §4, free of any transport: chat events in, use cases
// called, Russian replies out (through the outbox, in the update's transaction).
class ChatBot {
 public:
  // Each update is handled in a transaction from `updates` (not owned; it outlives the
  // bot); the use cases' work nests in it.
  ChatBot(Dependencies dependencies, UpdateTransactionManager& updates, ChatSettings chat_settings);
  ~ChatBot();
  ChatBot(const ChatBot&) = delete;
  ChatBot& operator=(const ChatBot&) = delete;

  // Handles one update exactly once: its effects, its replies and the record of
  // `update_id` commit together; a redelivered update does nothing. Fails (and
  // commits nothing) only when the store fails: the update should be retried.
  [[nodiscard]] Result<UpdateOutcome> handle(std::int64_t update_id, const ChatEvent& event);

  // The Telegram messages a queued notification becomes (none when there is nothing
  // to send, e.g. for a user who is no longer registered).
  [[nodiscard]] std::vector<OutgoingMessage> render(const Notification& notification);

  // The command menus: for everyone, and for admins (theirs and the clients').
  [[nodiscard]] static std::vector<BotCommand> client_commands();
  [[nodiscard]] static std::vector<BotCommand> admin_commands();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::chat
