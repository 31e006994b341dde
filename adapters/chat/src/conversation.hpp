#pragma once

// What the handlers of one update share: the update's transaction, the use cases
// bound to it, who wrote where, and what the update produces.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/chat/chat_bot.hpp"
#include "lottery/chat/chat_types.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::chat {

// A read-only unit of work inside an update: it reads through the update's own
// transaction (seeing what the update wrote so far) and needs no savepoint, having
// nothing to undo: two statements fewer for every query a client makes.
class ReadThrough : public Transaction {
 public:
  explicit ReadThrough(Transaction& update) : update_(update) {}
  UserRepository& users() override { return update_.users(); }
  AccountRepository& accounts() override { return update_.accounts(); }
  LotteryRepository& lotteries() override { return update_.lotteries(); }
  EntryRepository& entries() override { return update_.entries(); }
  WinnerRepository& winners() override { return update_.winners(); }
  ReportQueries& reports() override { return update_.reports(); }
  Outbox& outbox() override { return update_.outbox(); }
  AuditLog& audit() override { return update_.audit(); }
  std::unique_ptr<Transaction> nested() override { return update_.nested(); }
  void commit() override {}

 private:
  Transaction& update_;
};

// The use cases' store while an update is handled: each unit of work they open is a
// nested one (a savepoint) of the update's transaction, so whatever they do commits
// with the update or not at all; one that only reads reads through it. Passed
// explicitly: no thread decides it.
class UpdateTransactions : public TransactionManager {
 public:
  explicit UpdateTransactions(Transaction& update) : update_(update) {}
  std::unique_ptr<Transaction> begin() override { return update_.nested(); }
  std::unique_ptr<Transaction> begin_read_only() override {
    return std::make_unique<ReadThrough>(update_);
  }

 private:
  Transaction& update_;
};

// One update being handled. Not copyable: the use cases' dependencies refer to it.
class Conversation {
 public:
  Conversation(UpdateTransaction& update, const Dependencies& bot,
               const ChatSettings& chat_settings, Instant at)
      : transaction(update),
        nested_(update),
        deps{nested_,
             bot.clock,
             bot.random,
             bot.draw_randomness,
             bot.settings,
             bot.sms,
             ConflictRetry::kByCaller},
        settings(chat_settings),
        now(at) {}
  Conversation(const Conversation&) = delete;
  Conversation& operator=(const Conversation&) = delete;

  // A reply in this chat, split into parts Telegram takes (buttons under the first).
  void reply(const std::string& html, Markup markup = {});
  // The error, in the words its reader needs.
  [[nodiscard]] std::string error_text(const Error& error) const;
  void reply_error(const Error& error) { reply(error_text(error)); }
  // "Использование: …" with the command's usage.
  void reply_usage(std::string_view usage);

  [[nodiscard]] Requester requester() const { return Requester::telegram(user.id); }
  [[nodiscard]] bool from_admin() const;

  // A storage failure inside a use case fails the whole update, so that it is retried
  // instead of being answered with an apology and marked handled.
  template <class T>
  const Result<T>& checked(const Result<T>& result) const {
    if (!result && result.error().code == ErrorCode::kStorageUnavailable) {
      throw StorageError(StorageError::Kind::kUnavailable, result.error().detail);
    }
    return result;
  }

  UpdateTransaction& transaction;

 private:
  UpdateTransactions nested_;

 public:
  Dependencies deps;  // for the use cases: their work nests in `transaction`
  const ChatSettings& settings;
  ChatId chat;
  ChatUser user;
  Instant now;
  std::vector<OutgoingMessage> replies;
  std::optional<ButtonAnswer> answer;
  std::vector<Notification> notices;  // queued after the replies, in this order
};

}  // namespace lottery::chat
