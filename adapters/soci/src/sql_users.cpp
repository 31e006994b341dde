// The Users port on SOCI (PostgreSQL and SQLite).
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

// Users

constexpr const char* kUserColumns =
    "SELECT id, telegram_id, username, first_name, club_card_number, phone, "
    "lottery_flag(is_registered) AS is_registered, verification_code, "
    "lottery_us(created_at) AS created_at_us FROM users ";

User user_from(const soci::row& row) {
  User user;
  user.id = UserId{integer(row, "id")};
  user.telegram_id = TelegramUserId{integer(row, "telegram_id")};
  user.username = text(row, "username");
  user.first_name = text(row, "first_name");
  if (const auto card = optional_text(row, "club_card_number"))
    user.club_card = must(ClubCard::from_storage(*card), "card");
  if (const auto phone = optional_text(row, "phone"))
    user.phone = must(Phone::parse(*phone), "phone");
  user.is_registered = integer(row, "is_registered") != 0;
  if (const auto code = optional_text(row, "verification_code")) {
    user.verification_code = must(VerificationCode::parse(*code), "verification code");
  }
  user.created_at = instant(row, "created_at_us");
  return user;
}

class SqlUsers : public UserRepository {
 public:
  explicit SqlUsers(soci::session& session) : session_(session) {}

  std::optional<User> find(UserId id) override {
    // A win's owner, on every notification about it.
    static const HotStatement hot{"lottery_find_user",
                                  std::string(kUserColumns) + "WHERE id = :key"};
    return guarded([&] { return first_row(session_, hot, {{"key", id.value()}}, user_from); });
  }
  std::optional<User> find_by_telegram_id(TelegramUserId telegram_id) override {
    // Every update asks who wrote it.
    static const HotStatement hot{"lottery_user_by_telegram_id",
                                  std::string(kUserColumns) + "WHERE telegram_id = :key"};
    return guarded([&] {
      return first_row(session_, hot, {{"key", telegram_id.value()}}, user_from);
    });
  }
  std::optional<User> find_by_club_card(const ClubCard& card) override {
    std::string key = card.str();
    return one(std::string(kUserColumns) + "WHERE club_card_number = :key", key);
  }
  std::optional<User> find_by_code(const VerificationCode& code) override {
    std::string key = code.str();
    return one(std::string(kUserColumns) + "WHERE verification_code = :key", key);
  }

  std::vector<User> find_by_username(std::string_view username) override {
    std::string key(username);
    return all(std::string(kUserColumns) +
                   "WHERE lower(username) = lower(:key) AND username <> '' ORDER BY id",
               key);
  }
  std::vector<User> find_by_phone(const Phone& phone) override {
    std::string key = phone.str();
    return all(std::string(kUserColumns) + "WHERE phone = :key ORDER BY id", key);
  }

  Result<UserId> insert(const User& user) override {
    if (auto unique = check_unique(user); !unique) return tl::unexpected(unique.error());
    return guarded([&]() -> Result<UserId> {
      Bound bound(user);
      long long created_at = micros(user.created_at);
      long long id = 0;
      session_ << "INSERT INTO users (telegram_id, username, first_name, club_card_number, "
                  "phone, is_registered, verification_code, created_at) VALUES (:telegram_id, "
                  ":username, :first_name, :card, :phone, :registered, :code, "
                  "lottery_ts(:created_at)) RETURNING id",
          use(bound.telegram_id, "telegram_id"), use(bound.username, "username"),
          use(bound.first_name, "first_name"), use(bound.card.value, bound.card.indicator, "card"),
          use(bound.phone.value, bound.phone.indicator, "phone"),
          use(bound.registered, "registered"), use(bound.code.value, bound.code.indicator, "code"),
          use(created_at, "created_at"), into(id);
      return UserId{id};
    });
  }

  Result<void> update(const User& user) override {
    if (auto unique = check_unique(user); !unique) return unique;
    return guarded([&]() -> Result<void> {
      Bound bound(user);
      long long id = user.id.value();
      session_ << "UPDATE users SET telegram_id = :telegram_id, username = :username, "
                  "first_name = :first_name, club_card_number = :card, phone = :phone, "
                  "is_registered = :registered, verification_code = :code WHERE id = :id",
          use(bound.telegram_id, "telegram_id"), use(bound.username, "username"),
          use(bound.first_name, "first_name"), use(bound.card.value, bound.card.indicator, "card"),
          use(bound.phone.value, bound.phone.indicator, "phone"),
          use(bound.registered, "registered"), use(bound.code.value, bound.code.indicator, "code"),
          use(id, "id");
      return {};
    });
  }

 private:
  // A user's columns as bindable values, alive while the statement runs.
  struct Bound {
    explicit Bound(const User& user)
        : telegram_id(user.telegram_id.value()),
          username(user.username),
          first_name(user.first_name),
          registered(user.is_registered ? 1 : 0) {
      if (user.club_card) card = {user.club_card->str(), soci::i_ok};
      if (user.phone) phone = {user.phone->str(), soci::i_ok};
      if (user.verification_code) code = {user.verification_code->str(), soci::i_ok};
    }
    long long telegram_id;
    std::string username;
    std::string first_name;
    int registered;
    Nullable<std::string> card;
    Nullable<std::string> phone;
    Nullable<std::string> code;
  };

  template <class Key>
  std::optional<User> one(const std::string& sql, Key& key) {
    return guarded([&]() -> std::optional<User> {
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) return user_from(row);
      return std::nullopt;
    });
  }

  template <class Key>
  std::vector<User> all(const std::string& sql, Key& key) {
    return guarded([&] {
      std::vector<User> users;
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) users.push_back(user_from(row));
      return users;
    });
  }

  // The store's unique keys, checked first so the refusal names the key; a concurrent
  // insert that slips past fails on the constraint and is retried as a conflict.
  Result<void> check_unique(const User& user) {
    const auto other = [&](const std::optional<User>& found) {
      return found && found->id != user.id;
    };
    if (other(find_by_telegram_id(user.telegram_id))) return fail(ErrorCode::kAlreadyRegistered);
    if (user.club_card && other(find_by_club_card(*user.club_card))) {
      return fail(ErrorCode::kCardTaken, user.club_card->str());
    }
    if (user.verification_code && other(find_by_code(*user.verification_code))) {
      return fail(ErrorCode::kCodeTaken);
    }
    return {};
  }

  soci::session& session_;
};

}  // namespace

std::unique_ptr<UserRepository> make_users(soci::session& session) {
  return std::make_unique<SqlUsers>(session);
}

}  // namespace lottery::db
