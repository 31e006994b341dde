// The Outbox port on SOCI (PostgreSQL and SQLite).
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lottery/core/draw_verification.hpp"
#include "repositories.hpp"
#include "sql_support.hpp"
#include "staging.hpp"

namespace lottery::db {
namespace {

using soci::into;
using soci::use;

// When an outbox row is due for `:sender` at `:now` (bound twice, as :now and :lease_now):
// unfinished, not postponed, not leased to another sender, first unfinished of its chat.
constexpr std::string_view kDue =
    "sent_at IS NULL AND failed_at IS NULL "
    "AND (next_attempt_at IS NULL OR next_attempt_at <= lottery_ts(:now)) "
    "AND (leased_until IS NULL OR leased_until <= lottery_ts(:lease_now) "
    "OR leased_by = :sender) "
    // The first unfinished message of its chat. A correlated subquery rather than NOT
    // EXISTS: it always probes the (chat_id, id) index, while the anti-join, planned with
    // the stale statistics of a queue that grew fast, scanned the index for every row
    // (1.9 s instead of 1 ms with 17,000 messages waiting).
    "AND outbox.id = (SELECT min(earlier.id) FROM outbox earlier "
    "WHERE earlier.chat_id = outbox.chat_id AND earlier.sent_at IS NULL "
    "AND earlier.failed_at IS NULL)";

// Replies and messages to admins, sent first; the same list as outbox_due_reply_idx.
constexpr std::string_view kReplyKinds =
    "kind IN ('reply', 'reply_edit', 'draw_progress', 'winners_export', 'admin_win_confirmed', "
    "'admin_wins_expired', 'admin_drawn', 'admin_redrawn', 'admin_undeliverable')";

// A notification's columns, as notification_from reads them.
constexpr std::string_view kNotificationColumns =
    "SELECT id, chat_id, kind, lottery_id, lottery_title, winner_id, place, prize, "
    "account_number, lottery_us(deadline) AS deadline_us, count, detail, text, markup, "
    "reference, lottery_us(created_at) AS created_at_us, attempts, parts_sent, parts_digest";
constexpr std::string_view kFromOutboxWhere = " FROM outbox WHERE ";

Notification notification_from(const soci::row& row) {
  Notification notification;
  notification.id = NotificationId{integer(row, "id")};
  notification.chat = ChatId{integer(row, "chat_id")};
  notification.kind = must(parse_notification_kind(text(row, "kind")), "notification kind");
  if (const auto lottery = optional_integer(row, "lottery_id"))
    notification.lottery = LotteryId{*lottery};
  notification.lottery_title = text(row, "lottery_title");
  if (const auto winner = optional_integer(row, "winner_id"))
    notification.winner = WinnerId{*winner};
  notification.place = static_cast<int>(integer(row, "place"));
  notification.prize = text(row, "prize");
  if (const auto account = optional_text(row, "account_number")) {
    notification.account = must(AccountNumber::parse(*account), "account number");
  }
  notification.deadline = optional_instant(row, "deadline_us");
  notification.count = integer(row, "count");
  notification.detail = text(row, "detail");
  notification.text = text(row, "text");
  notification.markup = text(row, "markup");
  notification.reference = integer(row, "reference");
  notification.created_at = instant(row, "created_at_us");
  notification.attempts = static_cast<int>(integer(row, "attempts"));
  notification.parts_sent = static_cast<int>(integer(row, "parts_sent"));
  notification.parts_digest = integer(row, "parts_digest");
  return notification;
}

// The sender's due queries, one for replies and one for the rest, as hot statements
// (PostgreSQL took ten times longer to plan this query than to run it: 0.3-0.8 ms
// against 0.02-0.09). The chats to skip go as one value: an array on PostgreSQL, a JSON
// array on SQLite.
HotStatement due_query(Dialect dialect, bool replies) {
  const bool on_postgresql = dialect == Dialect::kPostgresql;
  return HotStatement{
      replies ? "lottery_due_replies" : "lottery_due_rest",
      std::string(kNotificationColumns) + std::string(kFromOutboxWhere) + std::string(kDue) +
          (on_postgresql ? " AND chat_id <> ALL (:skip)"
                         : " AND chat_id NOT IN (SELECT value FROM json_each(:skip))") +
          (replies ? " AND " : " AND NOT ") + std::string(kReplyKinds) + " ORDER BY id LIMIT :most",
      on_postgresql ? "bigint, bigint, text, bigint[], bigint" : ""};
}

class SqlOutbox : public Outbox {
 public:
  SqlOutbox(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  NotificationId enqueue(const Notification& notification) override {
    // Every reply goes through here.
    static const HotStatement hot{
        "lottery_enqueue",
        "INSERT INTO outbox (chat_id, kind, lottery_id, lottery_title, winner_id, place, prize, "
        "account_number, deadline, count, detail, text, markup, reference, created_at) "
        "VALUES (:chat, :kind, :lottery, :title, :winner, :place, :prize, :account, "
        "lottery_ts(:deadline), :count, :detail, :text, :markup, :reference, "
        "lottery_ts(:created_at)) RETURNING id"};
    return guarded([&] {
      Rows rows(
          session_, hot,
          {{"chat", notification.chat.value()},
           {"kind", std::string(to_string(notification.kind))},
           {"lottery", id_or_null(notification.lottery)},
           {"title", notification.lottery_title},
           {"winner", id_or_null(notification.winner)},
           {"place", static_cast<long long>(notification.place)},
           {"prize", notification.prize},
           {"account", notification.account ? SqlValue{notification.account->str()} : SqlValue{}},
           {"deadline",
            notification.deadline ? SqlValue{micros(*notification.deadline)} : SqlValue{}},
           {"count", static_cast<long long>(notification.count)},
           {"detail", notification.detail},
           {"text", notification.text},
           {"markup", notification.markup},
           {"reference", static_cast<long long>(notification.reference)},
           {"created_at", micros(notification.created_at)}});
      for (const auto& row : rows) return NotificationId{integer(row, "id")};
      throw StorageError(StorageError::Kind::kUnavailable, "the outbox gave no id");
    });
  }

  std::vector<Notification> pending(std::size_t limit, Instant now, const std::string& sender,
                                    std::span<const ChatId> skip) override {
    // Replies first (each query walks its own partial index of due rows).
    auto due = due_of(limit, now, sender, skip, true);
    if (due.size() < limit) {
      auto notifications = due_of(limit - due.size(), now, sender, skip, false);
      due.insert(due.end(), std::make_move_iterator(notifications.begin()),
                 std::make_move_iterator(notifications.end()));
    }
    return due;
  }

  std::vector<Notification> due_of(std::size_t limit, Instant now, const std::string& sender,
                                   std::span<const ChatId> skip, bool replies) {
    static const HotStatement postgresql_replies = due_query(Dialect::kPostgresql, true);
    static const HotStatement postgresql_rest = due_query(Dialect::kPostgresql, false);
    static const HotStatement sqlite_replies = due_query(Dialect::kSqlite, true);
    static const HotStatement sqlite_rest = due_query(Dialect::kSqlite, false);
    const bool on_postgresql = dialect_ == Dialect::kPostgresql;
    const HotStatement& hot = on_postgresql ? (replies ? postgresql_replies : postgresql_rest)
                                            : (replies ? sqlite_replies : sqlite_rest);
    std::string skipped;
    for (const ChatId chat : skip) {
      skipped += (skipped.empty() ? "" : ",") + std::to_string(chat.value());
    }
    skipped = on_postgresql ? "{" + skipped + "}" : "[" + skipped + "]";
    return guarded([&] {
      std::vector<Notification> notifications;
      // In the order of the statement's parameter types.
      Rows rows(session_, hot,
                {{"now", micros(now)},
                 {"lease_now", micros(now)},
                 {"sender", sender},
                 {"skip", skipped},
                 {"most", static_cast<long long>(limit)}});
      for (const auto& row : rows) notifications.push_back(notification_from(row));
      return notifications;
    });
  }

  bool lease(NotificationId id, Instant now, const std::string& sender, Instant until) override {
    return !lease_all(std::span(&id, 1), now, sender, until).empty();
  }

  std::vector<NotificationId> lease_all(std::span<const NotificationId> ids, Instant now,
                                        const std::string& sender, Instant until) override {
    if (ids.empty()) return {};
    // One statement for a sender's round; the ids go as one value (an array on
    // PostgreSQL, a JSON array on SQLite), so the statement is prepared once.
    static const std::string kLease =
        "UPDATE outbox SET leased_by = :sender, leased_until = lottery_ts(:until) WHERE ";
    static const HotStatement postgresql{
        "lottery_lease_round",
        kLease + "id = ANY (CAST(:ids AS bigint[])) AND " + std::string(kDue) + " RETURNING id"};
    static const HotStatement sqlite{"lottery_lease_round",
                                     kLease + "id IN (SELECT value FROM json_each(:ids)) AND " +
                                         std::string(kDue) + " RETURNING id"};
    const bool on_postgresql = dialect_ == Dialect::kPostgresql;
    const std::string list = id_list(ids, dialect_);
    return guarded([&] {
      std::vector<NotificationId> leased;
      Rows rows(session_, on_postgresql ? postgresql : sqlite,
                {{"sender", sender},
                 {"until", micros(until)},
                 {"ids", list},
                 {"now", micros(now)},
                 {"lease_now", micros(now)}});
      for (const auto& row : rows) leased.push_back(NotificationId{integer(row, "id")});
      return leased;
    });
  }

  void release_leases(const std::string& sender) override {
    guarded([&] {
      std::string by = sender;
      session_ << "UPDATE outbox SET leased_by = NULL, leased_until = NULL "
                  "WHERE leased_by = :sender AND sent_at IS NULL AND failed_at IS NULL",
          use(by, "sender");
    });
  }

  void mark_sent(NotificationId id, Instant at, std::optional<std::int64_t> message_id) override {
    // Every message sent.
    static const HotStatement hot{"lottery_mark_sent",
                                  "UPDATE outbox SET sent_at = lottery_ts(:at), "
                                  "telegram_message_id = COALESCE(:message, telegram_message_id), "
                                  "leased_by = NULL, leased_until = NULL WHERE id = :id"};
    guarded([&] {
      (void)execute_hot(
          session_, hot,
          {{"at", micros(at)}, {"message", value_or_null(message_id)}, {"id", id.value()}});
    });
  }

  void mark_parts_sent(NotificationId id, int parts, std::optional<std::int64_t> first_message_id,
                       std::int64_t digest) override {
    guarded([&] {
      long long key = id.value();
      int sent = parts;
      long long what = digest;
      auto message = nullable<long long>(first_message_id);
      session_ << "UPDATE outbox SET parts_sent = :parts, parts_digest = :digest, "
                  "telegram_message_id = COALESCE(:message, telegram_message_id) WHERE id = :id",
          use(sent, "parts"), use(what, "digest"), use(message.value, message.indicator, "message"),
          use(key, "id");
    });
  }

  void mark_failed(NotificationId id, Instant at, const std::string& reason) override {
    guarded([&] {
      long long key = id.value();
      long long when = micros(at);
      std::string why = reason;
      session_
          << "UPDATE outbox SET failed_at = lottery_ts(:at), failure = :why, leased_by = NULL, "
             "leased_until = NULL WHERE id = :id",
          use(when, "at"), use(why, "why"), use(key, "id");
    });
  }

  std::size_t fail_replies(ChatId chat, Instant at, const std::string& reason) override {
    return guarded([&] {
      long long chat_id = chat.value();
      long long when = micros(at);
      std::string why = reason;
      soci::statement statement =
          (session_.prepare
               << "UPDATE outbox SET failed_at = lottery_ts(:at), failure = :why, "
                  "leased_by = NULL, leased_until = NULL WHERE chat_id = :chat "
                  "AND kind IN ('reply', 'reply_edit') AND sent_at IS NULL AND failed_at IS NULL "
                  "AND (leased_until IS NULL OR leased_until <= lottery_ts(:at))",
           use(when, "at"), use(why, "why"), use(chat_id, "chat"));
      statement.execute(true);
      return static_cast<std::size_t>(statement.get_affected_rows());
    });
  }

  bool queued_about(ChatId chat, NotificationKind kind, LotteryId lottery, Instant since) override {
    return guarded([&] {
      long long chat_id = chat.value();
      long long key = lottery.value();
      long long from = micros(since);
      std::string name(to_string(kind));
      long long count = 0;
      session_ << "SELECT count(*) FROM outbox WHERE lottery_id = :lottery AND kind = :kind "
                  "AND chat_id = :chat AND created_at >= lottery_ts(:since)",
          use(key, "lottery"), use(name, "kind"), use(chat_id, "chat"), use(from, "since"),
          into(count);
      return count > 0;
    });
  }

  bool warned_about(ChatId chat, std::optional<WinnerId> winner, Instant since) override {
    return guarded([&] {
      long long chat_id = chat.value();
      long long from = micros(since);
      long long about = winner ? winner->value() : 0;
      long long count = 0;
      // The partial index of migration 012 holds only these warnings.
      session_ << "SELECT count(*) FROM outbox WHERE kind = 'admin_undeliverable' "
                  "AND count = :chat AND created_at >= lottery_ts(:since) "
                  "AND COALESCE(winner_id, 0) = :winner",
          use(chat_id, "chat"), use(from, "since"), use(about, "winner"), into(count);
      return count > 0;
    });
  }

  void postpone(NotificationId id, Instant until) override {
    guarded([&] {
      long long key = id.value();
      long long when = micros(until);
      session_ << "UPDATE outbox SET next_attempt_at = lottery_ts(:until), "
                  "attempts = attempts + 1, leased_by = NULL, leased_until = NULL WHERE id = :id",
          use(when, "until"), use(key, "id");
    });
  }

  std::optional<std::int64_t> sent_message(LotteryId lottery, NotificationKind kind) override {
    return guarded([&]() -> std::optional<std::int64_t> {
      long long key = lottery.value();
      std::string name(to_string(kind));
      Rows rows(session_,
                "SELECT telegram_message_id FROM outbox WHERE lottery_id = :lottery "
                "AND kind = :kind AND telegram_message_id IS NOT NULL "
                "ORDER BY id DESC LIMIT 1",
                use(key, "lottery"), use(name, "kind"));
      for (const auto& row : rows) return integer(row, "telegram_message_id");
      return std::nullopt;
    });
  }

  DeliveryProgress progress(LotteryId lottery, NotificationKind kind) override {
    return guarded([&] {
      long long key = lottery.value();
      std::string name(to_string(kind));
      long long total = 0;
      long long sent = 0;
      long long failed = 0;
      session_ << "SELECT count(*), count(sent_at), count(failed_at) FROM outbox "
                  "WHERE lottery_id = :lottery AND kind = :kind",
          use(key, "lottery"), use(name, "kind"), into(total), into(sent), into(failed);
      return DeliveryProgress{static_cast<std::uint64_t>(total), static_cast<std::uint64_t>(sent),
                              static_cast<std::uint64_t>(failed)};
    });
  }

  std::vector<SentNotification> unfinished_progress_posts(Instant since) override {
    return guarded([&] {
      long long from = micros(since);
      std::vector<SentNotification> posts;
      Rows rows(session_,
                std::string(kNotificationColumns) + ", telegram_message_id" +
                    std::string(kFromOutboxWhere) +
                    "kind = 'draw_progress' AND telegram_message_id IS NOT NULL "
                    "AND created_at >= lottery_ts(:since) AND EXISTS ("
                    "SELECT 1 FROM outbox winner WHERE winner.lottery_id = outbox.lottery_id "
                    "AND winner.kind = 'winner_drawn' AND winner.sent_at IS NULL "
                    "AND winner.failed_at IS NULL) ORDER BY id",
                use(from, "since"));
      for (const auto& row : rows) {
        posts.push_back(
            SentNotification{notification_from(row), integer(row, "telegram_message_id")});
      }
      return posts;
    });
  }

 private:
  soci::session& session_;
  Dialect dialect_;
};

}  // namespace

std::unique_ptr<Outbox> make_outbox(soci::session& session, Dialect dialect) {
  return std::make_unique<SqlOutbox>(session, dialect);
}

}  // namespace lottery::db
