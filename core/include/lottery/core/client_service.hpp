#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {

// Everything an admin sees of one client (/find).
struct ClientCard {
  User user;
  std::vector<Account> accounts;  // active and deactivated, oldest first
  std::vector<WinView> wins;      // newest first
};

// What /move_account did.
struct MovedAccount {
  Account account;
  std::optional<User> previous_owner;
  User owner;
  bool moved{false};                // false: the account was the owner's already
  std::vector<Winner> handed_wins;  // its open wins, now the new owner's
};

// Admins finding and fixing clients (SPEC §4: /find, /list_accounts, /move_account,
// /new_code), so that no fix needs the database.
class ClientService {
 public:
  explicit ClientService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // The clients a query names: a club card, @username, phone (+7…), account number or
  // Telegram id; a bare number is tried as each that it can be. kNoClient when nobody
  // matches, kAccountWithoutOwner when it names only an ownerless account. At most
  // kMaxClientsFound, oldest first.
  [[nodiscard]] Result<std::vector<ClientCard>> find(const Requester& requester,
                                                     std::string_view query);
  // Gives the account, with its open wins, to the registered holder of `card`, who is
  // told (R-OWNER-1); claimed wins stay with whoever confirmed them.
  [[nodiscard]] Result<MovedAccount> move_account(const Requester& requester,
                                                  const AccountNumber& number,
                                                  const ClubCard& card);
  // Replaces the verification code of the registered holder of `card` (a lost or
  // leaked one) and sends them the new one.
  [[nodiscard]] Result<User> new_code(const Requester& requester, const ClubCard& card);

  static constexpr std::size_t kMaxClientsFound = 5;

 private:
  Dependencies deps_;
};

}  // namespace lottery
