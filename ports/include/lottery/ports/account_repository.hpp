#pragma once

#include <optional>
#include <span>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// One row of a bulk import: an account number and the club card of its holder, if given.
struct AccountImportRow {
  AccountNumber number;
  std::optional<ClubCard> card;
};

// What a bulk import found for one row, and whether it stored a new account for it.
struct AccountImportResult {
  std::optional<UserId> holder;     // the registered user holding the row's card
  std::optional<Account> existing;  // the account with the row's number, before the import
  bool inserted{false};             // a new account was stored (existing is then empty)
};

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
  // In one batch (rows' numbers distinct): stores an active account created at `now` for
  // every row whose number is not on record, owned by the registered holder of its card or
  // ownerless; returns, in the rows' order, what was found and done for each.
  [[nodiscard]] virtual std::vector<AccountImportResult> import_new(
      std::span<const AccountImportRow> rows, Instant now) = 0;
};

}  // namespace lottery
