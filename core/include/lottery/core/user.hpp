#pragma once

#include <optional>
#include <string>

#include "lottery/core/club_card.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/time.hpp"
#include "lottery/core/verification_code.hpp"

namespace lottery {

// A client known to the bot. A registered user has a club card and a code.
struct User {
  UserId id;
  TelegramUserId telegram_id;
  std::string username;  // without '@'; may be empty
  std::string first_name;
  std::optional<ClubCard> club_card;
  std::optional<Phone> phone;
  bool is_registered{false};
  std::optional<VerificationCode> verification_code;
  Instant created_at;

  friend bool operator==(const User&, const User&) = default;
};

}  // namespace lottery
