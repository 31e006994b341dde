#pragma once

#include <optional>
#include <string>

#include "lottery/core/club_card.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/user.hpp"

namespace lottery {

struct RegistrationRequest {
  TelegramUserId telegram_id;
  std::string username;
  std::string first_name;
  ClubCard club_card;
  std::optional<Phone> phone;
};

// Clients registering with their club card (SPEC §4, /start and /register).
class RegistrationService {
 public:
  explicit RegistrationService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // The user behind this Telegram id, registered or not, if the bot knows them.
  [[nodiscard]] Result<std::optional<User>> find_user(TelegramUserId telegram_id);
  // Refuses a card registered to another Telegram user (kCardTaken) and a user who is
  // already registered (kAlreadyRegistered); lets the dialogue refuse early.
  [[nodiscard]] Result<void> check_card(TelegramUserId telegram_id, const ClubCard& card);
  // Registers the user with a fresh unique verification code, shown to them once.
  [[nodiscard]] Result<User> register_user(const RegistrationRequest& request);

 private:
  Dependencies deps_;
};

}  // namespace lottery
