#pragma once

#include <optional>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/account_number.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/ids.hpp"

namespace lottery {

// Accounts, within the transaction that owns this repository.
class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // The account with this id, if any.
  [[nodiscard]] virtual std::optional<Account> find(AccountId id) = 0;
  // The account with this number, if any.
  [[nodiscard]] virtual std::optional<Account> find_by_number(const AccountNumber& number) = 0;
  // Stores a new account (its id is ignored); refuses a taken number (kAccountExists).
  [[nodiscard]] virtual Result<AccountId> insert(const Account& account) = 0;
  // Overwrites the owner and the active flag of the account with the same id.
  virtual void update(const Account& account) = 0;
  // The user's accounts, active and not, in the order of their numbers.
  [[nodiscard]] virtual std::vector<Account> list_by_owner(UserId owner) = 0;
};

}  // namespace lottery
