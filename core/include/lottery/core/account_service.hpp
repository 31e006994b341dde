#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/account.hpp"
#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/requester.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/account_repository.hpp"

namespace lottery {

enum class AddAccountResult {
  kAdded,              // new account of the card's owner
  kAddedWithoutOwner,  // new account, no registered user holds the card (or none given)
  kLinked,             // an ownerless account now belongs to the card's owner
  kReactivated,        // the owner's deactivated account is active again
  kAlreadyThere,       // nothing to do
};

struct AddAccountOutcome {
  AddAccountResult result{AddAccountResult::kAdded};
  Account account;
  std::optional<User> owner;
  // Pending wins of a linked account, now the owner's (R-UNOWNED-1).
  std::vector<Winner> linked_wins;
};

struct RefusedLine {
  std::size_t line{0};  // 1-based
  std::string text;
  Error error;
};

struct BulkAddReport {
  std::size_t added{0};
  std::size_t added_without_owner{0};
  std::size_t linked{0};
  std::size_t already_there{0};
  std::vector<RefusedLine> refused;
  std::optional<EnrolReport> enrolment;
};

// One line of an import file, already parsed (lotteryctl import).
struct ImportLine {
  std::size_t line{0};  // 1-based, for the report
  std::string text;     // as it stood in the file, for the report
  AccountImportRow row;
};

// Admins managing clients' accounts (SPEC §4: /add_account, /add_accounts,
// /remove_account; /list_accounts is ClientService::find).
class AccountService {
 public:
  explicit AccountService(Dependencies dependencies) : deps_(std::move(dependencies)) {}

  // Adds the account to the registered holder of `card` (ownerless without a card or
  // holder), links an ownerless one, or reactivates a deactivated one. Refuses an
  // account of another user (kAccountOwnedByAnother).
  [[nodiscard]] Result<AddAccountOutcome> add_account(const Requester& requester,
                                                      const std::optional<ClubCard>& card,
                                                      const AccountNumber& number);
  // One account per line, "CLUB_CARD ACCOUNT" or a bare account number; blank lines
  // are ignored, bad lines refused with their numbers while the others go in. With a
  // lottery, every added or existing account of the batch is enrolled in it.
  [[nodiscard]] Result<BulkAddReport> add_accounts(const Requester& requester,
                                                   std::string_view lines,
                                                   std::optional<LotteryId> enrol_in);
  // Imports one batch of a file in one transaction (lotteryctl import), with no limit
  // on its size: the new numbers go in with one bulk statement, numbers on record follow
  // the rules of add_account, a number repeated in the batch counts once. With a lottery,
  // the batch's active accounts are enrolled in it in the file's order.
  [[nodiscard]] Result<BulkAddReport> import_accounts(const Requester& requester,
                                                      std::span<const ImportLine> lines,
                                                      std::optional<LotteryId> enrol_in);
  // Deactivates the account: it stays on record but no longer takes part in draws.
  [[nodiscard]] Result<Account> deactivate_account(const Requester& requester,
                                                   const AccountNumber& number);

 private:
  Dependencies deps_;
};

}  // namespace lottery
