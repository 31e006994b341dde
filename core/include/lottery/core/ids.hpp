#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace lottery {

// A 64-bit identifier that only compares with identifiers of the same kind, so a
// winner id can never be passed where a lottery id is expected.
template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t value) : value_(value) {}

  [[nodiscard]] constexpr std::int64_t value() const { return value_; }

  friend constexpr auto operator<=>(const Id&, const Id&) = default;

 private:
  std::int64_t value_{0};
};

using UserId = Id<struct UserIdTag>;
using AccountId = Id<struct AccountIdTag>;
using LotteryId = Id<struct LotteryIdTag>;
using WinnerId = Id<struct WinnerIdTag>;
using NotificationId = Id<struct NotificationIdTag>;
// Telegram's own ids: a user's id doubles as the id of their private chat with the bot.
using TelegramUserId = Id<struct TelegramUserIdTag>;
using ChatId = Id<struct ChatIdTag>;

[[nodiscard]] constexpr ChatId private_chat_of(TelegramUserId user) { return ChatId{user.value()}; }

}  // namespace lottery

template <class Tag>
struct std::hash<lottery::Id<Tag>> {
  std::size_t operator()(const lottery::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
