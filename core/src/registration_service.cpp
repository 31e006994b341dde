#include "lottery/core/registration_service.hpp"

#include "support.hpp"

namespace lottery {
namespace {

Result<void> ensure_card_free(Transaction& transaction, TelegramUserId telegram_id,
                              const ClubCard& card) {
  if (const auto existing = transaction.users().find_by_telegram_id(telegram_id);
      existing && existing->is_registered) {
    return fail(ErrorCode::kAlreadyRegistered);
  }
  if (const auto holder = transaction.users().find_by_club_card(card);
      holder && holder->telegram_id != telegram_id) {
    return fail(ErrorCode::kCardTaken, card.str());
  }
  return {};
}

}  // namespace

Result<std::optional<User>> RegistrationService::find_user(TelegramUserId telegram_id) {
  return detail::in_transaction(deps_,
                                [&](Transaction& transaction) -> Result<std::optional<User>> {
                                  return transaction.users().find_by_telegram_id(telegram_id);
                                });
}

Result<void> RegistrationService::check_card(TelegramUserId telegram_id, const ClubCard& card) {
  return detail::in_transaction(deps_, [&](Transaction& transaction) {
    return ensure_card_free(transaction, telegram_id, card);
  });
}

Result<User> RegistrationService::register_user(const RegistrationRequest& request) {
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<User> {
    if (auto free = ensure_card_free(transaction, request.telegram_id, request.club_card); !free) {
      return tl::unexpected(free.error());
    }
    const Instant now = deps_.clock.now();
    const auto existing = transaction.users().find_by_telegram_id(request.telegram_id);
    User user = existing.value_or(User{});
    user.telegram_id = request.telegram_id;
    user.username = request.username;
    user.first_name = request.first_name;
    user.club_card = request.club_card;
    user.phone = request.phone;
    user.is_registered = true;
    if (!existing) user.created_at = now;

    for (int attempt = 0; attempt < detail::kCodeAttempts; ++attempt) {
      const VerificationCode code = VerificationCode::generate(deps_.random);
      if (transaction.users().find_by_code(code)) continue;
      user.verification_code = code;
      Result<void> stored;
      if (existing) {
        stored = transaction.users().update(user);
      } else if (auto inserted = transaction.users().insert(user)) {
        user.id = *inserted;
      } else {
        stored = tl::unexpected(inserted.error());
      }
      if (!stored) {
        if (stored.error().code == ErrorCode::kCodeTaken) continue;
        return tl::unexpected(stored.error());
      }
      detail::audit(transaction, now, Actor{ActorKind::kUser, user.telegram_id},
                    AuditAction::kUserRegistered, std::nullopt, std::nullopt,
                    "card " + user.club_card->str());
      return user;
    }
    return fail(ErrorCode::kConflict, "no free verification code found");
  });
}

}  // namespace lottery
