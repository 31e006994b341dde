#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "lottery/core/club_card.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/verification_code.hpp"

namespace lottery {

// Users, within the transaction that owns this repository.
class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // The user with this id, if any.
  [[nodiscard]] virtual std::optional<User> find(UserId id) = 0;
  // The user with this Telegram id, if any.
  [[nodiscard]] virtual std::optional<User> find_by_telegram_id(TelegramUserId telegram_id) = 0;
  // The user holding this club card, if any.
  [[nodiscard]] virtual std::optional<User> find_by_club_card(const ClubCard& card) = 0;
  // The user with this verification code, if any.
  [[nodiscard]] virtual std::optional<User> find_by_code(const VerificationCode& code) = 0;
  // The users with this Telegram @username (without the @, any case), oldest first: a
  // name given up in Telegram may be on record for two of them.
  [[nodiscard]] virtual std::vector<User> find_by_username(std::string_view username) = 0;
  // The users with this phone, oldest first.
  [[nodiscard]] virtual std::vector<User> find_by_phone(const Phone& phone) = 0;
  // Stores a new user (its id is ignored) and returns the id given. Refuses a taken
  // Telegram id (kAlreadyRegistered), club card (kCardTaken) or code (kCodeTaken).
  [[nodiscard]] virtual Result<UserId> insert(const User& user) = 0;
  // Overwrites the stored user with the same id; the same refusals as insert.
  [[nodiscard]] virtual Result<void> update(const User& user) = 0;
};

}  // namespace lottery
