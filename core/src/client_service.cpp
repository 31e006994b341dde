#include "lottery/core/client_service.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "lottery/core/display_text.hpp"
#include "lottery/core/phone.hpp"
#include "support.hpp"

namespace lottery {
namespace {

bool is_username(std::string_view text) {
  // Telegram's own rule: 5–32 letters, digits and underscores.
  return text.size() >= 5 && text.size() <= 32 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
         });
}

std::optional<TelegramUserId> telegram_id_in(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return TelegramUserId{value};
}

// The users the query can name, by id (so each once), and whether it named an ownerless
// account.
struct Matches {
  std::map<UserId, User> users;
  std::optional<AccountNumber> ownerless_account;
};

void add(Matches& matches, std::optional<User> user) {
  if (user) matches.users.emplace(user->id, std::move(*user));
}

void add(Matches& matches, std::vector<User> users) {
  for (User& user : users) add(matches, std::optional<User>(std::move(user)));
}

Matches match(Transaction& transaction, std::string_view query) {
  Matches matches;
  auto& users = transaction.users();
  if (query.front() == '@') {
    add(matches, users.find_by_username(query.substr(1)));
    return matches;
  }
  if (const auto card = ClubCard::parse(query)) add(matches, users.find_by_club_card(*card));
  if (const auto id = telegram_id_in(query)) add(matches, users.find_by_telegram_id(*id));
  if (const auto phone = Phone::parse(query)) {
    add(matches, users.find_by_phone(*phone));
    // Russian numbers are often typed 8 900 …: the same as +7 900 ….
    const std::string& digits = phone->str();
    if (query.front() != '+' && digits.size() == 12 && digits[1] == '8') {
      if (const auto russian = Phone::parse("+7" + digits.substr(2))) {
        add(matches, users.find_by_phone(*russian));
      }
    }
  }
  if (const auto number = AccountNumber::parse(query)) {
    if (const auto account = transaction.accounts().find_by_number(*number)) {
      if (account->owner) {
        add(matches, users.find(*account->owner));
      } else {
        matches.ownerless_account = account->number;
      }
    }
  }
  if (is_username(query)) add(matches, users.find_by_username(query));
  return matches;
}

ClientCard card_of(Transaction& transaction, User user) {
  ClientCard card{std::move(user), {}, {}};
  card.accounts = transaction.accounts().list_by_owner(card.user.id);
  std::map<LotteryId, std::string> titles;
  for (Winner& win : transaction.winners().list_by_user(card.user.id)) {
    auto [title, added] = titles.try_emplace(win.lottery);
    if (added) {
      const auto lottery = transaction.lotteries().find(win.lottery);
      title->second = lottery ? lottery->title : std::string{};
    }
    card.wins.push_back(WinView{std::move(win), title->second});
  }
  return card;
}

Result<User> registered_holder(Transaction& transaction, const ClubCard& card) {
  auto holder = transaction.users().find_by_club_card(card);
  if (!holder || !holder->is_registered) {
    return fail(ErrorCode::kUnknownUser, "с картой " + card.str());
  }
  return std::move(*holder);
}

}  // namespace

Result<std::vector<ClientCard>> ClientService::find(const Requester& requester,
                                                    std::string_view raw_query) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  const std::string_view query = detail::trim(raw_query);
  if (query.empty() || query.size() > 64) {
    return fail(ErrorCode::kNoClient, std::string(query.substr(0, 64)));
  }
  return detail::in_transaction(
      deps_, [&](Transaction& transaction) -> Result<std::vector<ClientCard>> {
        Matches matches = match(transaction, query);
        // Who read whose data is kept, found or not.
        std::string found_ids;
        for (const auto& [id, user] : matches.users) {
          found_ids += (found_ids.empty() ? "" : ",") + std::to_string(id.value());
        }
        detail::audit(transaction, deps_.clock.now(), *actor, AuditAction::kClientLookedUp,
                      std::nullopt, std::nullopt,
                      "query \"" + one_line(query) + "\" found users [" + found_ids + "]");
        if (matches.users.empty()) {
          transaction.commit();  // the refusal is an answer; the trail stays
          if (matches.ownerless_account) {
            return fail(ErrorCode::kAccountWithoutOwner, matches.ownerless_account->str());
          }
          return fail(ErrorCode::kNoClient, std::string(query));
        }
        std::vector<ClientCard> found;
        for (auto& [id, user] : matches.users) {
          if (found.size() == kMaxClientsFound) break;
          found.push_back(card_of(transaction, std::move(user)));
        }
        return found;
      });
}

Result<MovedAccount> ClientService::move_account(const Requester& requester,
                                                 const AccountNumber& number,
                                                 const ClubCard& card) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<MovedAccount> {
    const Instant now = deps_.clock.now();
    auto account = transaction.accounts().find_by_number(number);
    if (!account) return fail(ErrorCode::kUnknownAccount, number.str());
    auto owner = registered_holder(transaction, card);
    if (!owner) return tl::unexpected(owner.error());
    MovedAccount moved{*account, std::nullopt, *owner, false, {}};
    if (account->owner) moved.previous_owner = transaction.users().find(*account->owner);
    if (account->owner == owner->id) return moved;
    account->owner = owner->id;
    transaction.accounts().update(*account);
    moved.account = *account;
    moved.moved = true;
    detail::audit(
        transaction, now, *actor, AuditAction::kAccountMoved, std::nullopt, std::nullopt,
        number.str() + " from " +
            (moved.previous_owner ? "user " + std::to_string(moved.previous_owner->id.value())
                                  : std::string("no owner")) +
            " to user " + std::to_string(owner->id.value()));
    Notification added;
    added.kind = NotificationKind::kAccountAdded;
    added.account = account->number;
    added.created_at = now;
    detail::notify_user(transaction, owner->id, added);
    moved.handed_wins = detail::hand_open_wins(transaction, *account, *owner, now, *actor);
    return moved;
  });
}

Result<User> ClientService::new_code(const Requester& requester, const ClubCard& card) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<User> {
    auto holder = registered_holder(transaction, card);
    if (!holder) return tl::unexpected(holder.error());
    User user = std::move(*holder);
    for (int attempt = 0; attempt < detail::kCodeAttempts; ++attempt) {
      const VerificationCode code = VerificationCode::generate(deps_.random);
      if (transaction.users().find_by_code(code) || code == user.verification_code) continue;
      user.verification_code = code;
      if (auto stored = transaction.users().update(user); !stored) {
        if (stored.error().code == ErrorCode::kCodeTaken) continue;
        return tl::unexpected(stored.error());
      }
      const Instant now = deps_.clock.now();
      detail::audit(transaction, now, *actor, AuditAction::kCodeRenewed, std::nullopt, std::nullopt,
                    "user " + std::to_string(user.id.value()));
      Notification message;
      message.kind = NotificationKind::kCodeRenewed;
      message.detail = code.str();
      message.created_at = now;
      detail::notify_user(transaction, user.id, message);
      return user;
    }
    return fail(ErrorCode::kConflict, "no free verification code found");
  });
}

}  // namespace lottery
