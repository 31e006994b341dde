#pragma once

#include "lottery/core/audit_event.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/settings.hpp"

namespace lottery {

// Who asks a use case to act. The core, not the caller, decides who is an admin.
class Requester {
 public:
  [[nodiscard]] static Requester telegram(TelegramUserId user) { return Requester{user}; }
  // The operator at the command line (lotteryctl), or a job of the bot itself.
  [[nodiscard]] static Requester system() { return Requester{}; }

  [[nodiscard]] Actor actor(const Settings& settings) const {
    if (!telegram_id_) return Actor{ActorKind::kSystem, std::nullopt};
    const bool admin = settings.admins.contains(*telegram_id_);
    return Actor{admin ? ActorKind::kAdmin : ActorKind::kUser, telegram_id_};
  }

  [[nodiscard]] const std::optional<TelegramUserId>& telegram_id() const { return telegram_id_; }

 private:
  Requester() = default;
  explicit Requester(TelegramUserId user) : telegram_id_(user) {}
  std::optional<TelegramUserId> telegram_id_;
};

}  // namespace lottery
