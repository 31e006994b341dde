// The Dialogues port on SOCI (PostgreSQL and SQLite).
#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "lottery/core/draw_verification.hpp"
#include "repositories.hpp"
#include "sql_support.hpp"
#include "staging.hpp"

namespace lottery::db {
namespace {

using soci::into;
using soci::use;

class SqlDialogues : public DialogueRepository {
 public:
  explicit SqlDialogues(soci::session& session) : session_(session) {}

  std::optional<Dialogue> find(ChatId chat, TelegramUserId user) override {
    // Every update asks whether a dialogue is open.
    static const HotStatement hot{
        "lottery_find_dialogue",
        "SELECT name, step, data, lottery_us(updated_at) AS updated_at_us FROM dialogues "
        "WHERE chat_id = :chat AND user_id = :user"};
    return guarded([&]() -> std::optional<Dialogue> {
      Rows rows(session_, hot, {{"chat", chat.value()}, {"user", user.value()}});
      for (const auto& row : rows) {
        return Dialogue{chat,
                        user,
                        text(row, "name"),
                        text(row, "step"),
                        text(row, "data"),
                        instant(row, "updated_at_us")};
      }
      return std::nullopt;
    });
  }

  void save(const Dialogue& dialogue) override {
    guarded([&] {
      long long chat_id = dialogue.chat.value();
      long long user_id = dialogue.user.value();
      std::string name = dialogue.name;
      std::string step = dialogue.step;
      std::string data = dialogue.data;
      long long updated_at = micros(dialogue.updated_at);
      session_ << "INSERT INTO dialogues (chat_id, user_id, name, step, data, updated_at) "
                  "VALUES (:chat, :user, :name, :step, :data, lottery_ts(:updated_at)) "
                  "ON CONFLICT (chat_id, user_id) DO UPDATE SET name = excluded.name, "
                  "step = excluded.step, data = excluded.data, updated_at = excluded.updated_at",
          use(chat_id, "chat"), use(user_id, "user"), use(name, "name"), use(step, "step"),
          use(data, "data"), use(updated_at, "updated_at");
    });
  }

  void remove(ChatId chat, TelegramUserId user) override {
    guarded([&] {
      long long chat_id = chat.value();
      long long user_id = user.value();
      session_ << "DELETE FROM dialogues WHERE chat_id = :chat AND user_id = :user",
          use(chat_id, "chat"), use(user_id, "user");
    });
  }

 private:
  soci::session& session_;
};

}  // namespace

std::unique_ptr<DialogueRepository> make_dialogues(soci::session& session) {
  return std::make_unique<SqlDialogues>(session);
}

}  // namespace lottery::db
