#pragma once

// The chat layer's test fixture: a ChatBot on the in-memory store with a fake clock,
// driven by updates as Telegram would send them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "command_table.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/chat/chat_bot.hpp"
#include "lottery/chat/markup.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/ports/storage_error.hpp"
#include "texts.hpp"

namespace lottery::chat {

using testing::FakeClock;
using testing::MemoryStore;

constexpr std::int64_t kAdmin = 9000;
constexpr std::int64_t kAnna = 1;
constexpr std::int64_t kBoris = 2;
constexpr ChatId kAnnounce{-100777};

// Characters of UTF-8 text.
inline std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

class ChatTest : public ::testing::Test {
 protected:
  ChatTest() {
    settings_.admins = {TelegramUserId{kAdmin}};
    settings_.announce_chat = kAnnounce;
    bot_ = make_bot();
  }

  std::unique_ptr<ChatBot> make_bot() {
    return std::make_unique<ChatBot>(
        Dependencies{store_, clock_, random_, draw_randomness_, settings_}, store_,
        ChatSettings{"club_lottery_bot", "@club_admin"});
  }

  // Handles one private message of `from` with a bot whose updates' transactions come
  // from `updates` (a mock around the store, for the tests about units of work).
  Result<UpdateOutcome> handle_through(UpdateTransactionManager& updates, std::int64_t from,
                                       const std::string& text) {
    ChatBot bot(Dependencies{store_, clock_, random_, draw_randomness_, settings_}, updates,
                ChatSettings{"club_lottery_bot", "@club_admin"});
    const std::int64_t update = next_update_++;
    return bot.handle(
        update,
        IncomingMessage{private_chat_of(TelegramUserId{from}), true, user(from), update, text, {}});
  }

  ChatUser user(std::int64_t id) const {
    if (const auto named = names_.find(id); named != names_.end()) {
      return ChatUser{TelegramUserId{id}, "user" + std::to_string(id), named->second};
    }
    return ChatUser{TelegramUserId{id}, "user" + std::to_string(id),
                    id == kAnna ? "Анна" : "Борис"};
  }
  std::map<std::int64_t, std::string> names_;  // first names other than the usual

  // Everything queued since the last call, rendered as Telegram would get it, and
  // marked sent (as message ids 1000 + notification id).
  std::vector<OutgoingMessage> deliver() {
    std::vector<OutgoingMessage> delivered;
    while (true) {
      // One at a time: the oldest unsent message overall, so the order is the queue's.
      std::vector<Notification> pending;
      {
        auto transaction = store_.begin();
        pending = transaction->outbox().pending(1, clock_.now(), "test", {});
      }
      if (pending.empty()) break;
      const Notification& notification = pending.front();
      for (auto& message : bot_->render(notification)) delivered.push_back(std::move(message));
      auto transaction = store_.begin();
      transaction->outbox().mark_sent(notification.id, clock_.now(),
                                      1000 + notification.id.value());
      transaction->commit();
    }
    return delivered;
  }

  std::vector<OutgoingMessage> say(std::int64_t from, const std::string& text,
                                   std::optional<SharedContact> contact = {},
                                   bool is_private = true) {
    IncomingMessage message{is_private ? private_chat_of(TelegramUserId{from}) : ChatId{-42},
                            is_private,
                            user(from),
                            next_update_,
                            text,
                            contact};
    const auto outcome = bot_->handle(next_update_++, message);
    EXPECT_TRUE(outcome) << to_string(outcome.error().code);
    return deliver();
  }

  // The one reply to `from` of what `text` produced.
  std::string reply_to(std::int64_t from, const std::string& text) {
    const auto messages = say(from, text);
    std::string joined;
    for (const auto& message : messages) {
      if (message.chat == private_chat_of(TelegramUserId{from})) joined += message.html + "\n";
    }
    return joined;
  }

  ButtonAnswer press(std::int64_t from, const std::string& data, std::int64_t message_id = 77) {
    ButtonPress button{"query-" + std::to_string(next_update_), user(from),
                       private_chat_of(TelegramUserId{from}), message_id, data};
    const auto outcome = bot_->handle(next_update_++, button);
    EXPECT_TRUE(outcome);
    last_press_messages_ = deliver();
    return outcome->answer.value_or(ButtonAnswer{});
  }

  void register_client(std::int64_t id, const std::string& card) {
    say(id, "/start");
    say(id, card);
    say(id, "Пропустить");
  }

  std::string code_of(std::int64_t id) {
    auto transaction = store_.begin();
    return transaction->users().find_by_telegram_id(TelegramUserId{id})->verification_code->str();
  }

  // A one-place lottery with Anna's only account enrolled, drawn: returns the winner
  // message sent to her.
  OutgoingMessage anna_wins() {
    register_client(kAnna, "2223");
    say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
    say(kAdmin, "/new_lottery Новогодний розыгрыш");
    say(kAdmin, "1 iPhone 15");
    say(kAdmin, "/enroll 1 all");
    for (const auto& message : say(kAdmin, "/draw 1")) {
      if (message.chat == private_chat_of(TelegramUserId{kAnna})) return message;
    }
    ADD_FAILURE() << "no winner message";
    return {};
  }

  MemoryStore store_;
  FakeClock clock_;
  testing::SeededRandom random_{5};
  testing::SeededDrawRandomness draw_randomness_;
  Settings settings_;
  std::unique_ptr<ChatBot> bot_;
  std::int64_t next_update_{1};
  std::vector<OutgoingMessage> last_press_messages_;
};

}  // namespace lottery::chat
