#include "lottery/core/account_service.hpp"

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <unordered_set>

#include "support.hpp"

namespace lottery {
namespace {

constexpr std::size_t kMaxBulkLines = 10000;

Notification account_added(const Account& account, Instant now) {
  Notification notification;
  notification.kind = NotificationKind::kAccountAdded;
  notification.account = account.number;
  notification.created_at = now;
  return notification;
}

// One message for the accounts an import added to a client, not one each: the first
// number and, for several, how many and the first kAccountsListed of them, one a line
// (a client given thousands gets one short message, not pages of numbers).
constexpr std::size_t kAccountsListed = 20;

Notification accounts_added(std::span<const AccountNumber> numbers, Instant now) {
  Notification notification;
  notification.kind = NotificationKind::kAccountAdded;
  notification.account = numbers.front();
  if (numbers.size() > 1) {
    notification.count = static_cast<std::int64_t>(numbers.size());
    for (const AccountNumber& number : numbers.first(std::min(numbers.size(), kAccountsListed))) {
      notification.detail += (notification.detail.empty() ? "" : "\n") + number.str();
    }
  }
  notification.created_at = now;
  return notification;
}

}  // namespace

namespace detail {

std::vector<Winner> hand_open_wins(Transaction& transaction, const Account& account,
                                   const User& owner, Instant now, const Actor& actor) {
  std::vector<Winner> handed;
  for (Winner win : transaction.winners().open_by_account(account.id)) {
    record_owner(transaction, win, owner, now, actor);
    if (win.user != owner.id) continue;  // settled by its previous owner meanwhile
    const auto lottery = transaction.lotteries().find(win.lottery);
    const std::string title = lottery ? lottery->title : std::string{};
    if (win.is_confirmable(now)) {
      notify_user(transaction, owner.id,
                  win_notification(NotificationKind::kWinnerDrawn, ChatId{}, win, title, now));
    } else {
      // Expired before its owner was known: they learn of it, and that an admin can
      // still renew it (/extend_claim) until it is redrawn.
      Notification expired =
          win_notification(NotificationKind::kWinExpired, ChatId{}, win, title, now);
      expired.detail = std::string(kHandedOverDetail);
      notify_user(transaction, owner.id, std::move(expired));
    }
    handed.push_back(std::move(win));
  }
  return handed;
}

}  // namespace detail

namespace {

Result<AddAccountOutcome> add_account_in(Transaction& transaction,
                                         const std::optional<ClubCard>& card,
                                         const AccountNumber& number, Instant now,
                                         const Actor& actor) {
  std::optional<User> holder;
  if (card) {
    holder = transaction.users().find_by_club_card(*card);
    if (holder && !holder->is_registered) holder.reset();
  }
  const std::string card_text = card ? " card " + card->str() : std::string{};
  auto existing = transaction.accounts().find_by_number(number);
  if (!existing) {
    Account account{AccountId{}, number, std::nullopt, true, now};
    if (holder) account.owner = holder->id;
    auto inserted = transaction.accounts().insert(account);
    if (!inserted && inserted.error().code == ErrorCode::kAccountExists) {
      // Added by a concurrent transaction since we looked: start over and find it.
      throw StorageError(StorageError::Kind::kConflict, "account added concurrently");
    }
    if (!inserted) return tl::unexpected(inserted.error());
    account.id = *inserted;
    detail::audit(transaction, now, actor, AuditAction::kAccountAdded, std::nullopt, std::nullopt,
                  number.str() + card_text);
    if (holder) detail::notify_user(transaction, holder->id, account_added(account, now));
    return AddAccountOutcome{
        holder ? AddAccountResult::kAdded : AddAccountResult::kAddedWithoutOwner,
        account,
        holder,
        {}};
  }

  Account account = std::move(*existing);
  const bool same_owner = account.owner && holder && *account.owner == holder->id;
  if (account.owner && !same_owner) {
    // A bare number names the account without claiming anything about its owner.
    if (!card) return AddAccountOutcome{AddAccountResult::kAlreadyThere, account, {}, {}};
    return fail(ErrorCode::kAccountOwnedByAnother, number.str());
  }
  if (account.owner || !holder) {
    if (account.is_active) {
      return AddAccountOutcome{AddAccountResult::kAlreadyThere, account, holder, {}};
    }
    account.is_active = true;
    transaction.accounts().update(account);
    detail::audit(transaction, now, actor, AuditAction::kAccountAdded, std::nullopt, std::nullopt,
                  number.str() + " reactivated");
    if (holder) detail::notify_user(transaction, holder->id, account_added(account, now));
    return AddAccountOutcome{AddAccountResult::kReactivated, account, holder, {}};
  }

  account.owner = holder->id;
  account.is_active = true;
  transaction.accounts().update(account);
  detail::audit(transaction, now, actor, AuditAction::kAccountLinked, std::nullopt, std::nullopt,
                number.str() + card_text);
  detail::notify_user(transaction, holder->id, account_added(account, now));
  auto linked = detail::hand_open_wins(transaction, account, *holder, now, actor);
  return AddAccountOutcome{AddAccountResult::kLinked, account, holder, std::move(linked)};
}

void count_outcome(BulkAddReport& report, AddAccountResult result) {
  switch (result) {
    case AddAccountResult::kAdded:
    case AddAccountResult::kReactivated:
      ++report.added;
      break;
    case AddAccountResult::kAddedWithoutOwner:
      ++report.added_without_owner;
      break;
    case AddAccountResult::kLinked:
      ++report.linked;
      break;
    case AddAccountResult::kAlreadyThere:
      ++report.already_there;
      break;
  }
}

// Whether add_account would find nothing to do for an account on record.
bool already_there(const Account& existing, const std::optional<ClubCard>& card,
                   const std::optional<UserId>& holder) {
  if (existing.owner && !card) return true;  // a bare number claims nothing about owners
  if (!existing.is_active) return false;
  return existing.owner ? existing.owner == holder : !holder;
}

// The open lottery a bulk add enrols in, if one was named.
Result<std::optional<Lottery>> lottery_to_enrol_in(Transaction& transaction,
                                                   std::optional<LotteryId> enrol_in) {
  if (!enrol_in) return std::optional<Lottery>{};
  auto found = detail::load_lottery_for_enrolment(transaction, *enrol_in);
  if (!found) return tl::unexpected(found.error());
  return std::optional<Lottery>{std::move(*found)};
}

struct ParsedLine {
  std::optional<ClubCard> card;
  AccountNumber number;
};

// "CLUB_CARD ACCOUNT" or a bare account number (which may itself contain spaces).
Result<ParsedLine> parse_line(std::string_view untrimmed) {
  // A refusal quotes the part it refuses without the spaces around it.
  const std::string_view line = detail::trim(untrimmed);
  if (auto bare = AccountNumber::parse(line)) return ParsedLine{std::nullopt, *bare};
  const auto first_non_space = line.find_first_not_of(" \t");
  const auto separator = line.find_first_of(" \t", first_non_space);
  if (separator == std::string_view::npos)
    return tl::unexpected(AccountNumber::parse(line).error());
  auto card = ClubCard::parse(line.substr(0, separator));
  if (!card) return tl::unexpected(card.error());
  auto number = AccountNumber::parse(detail::trim(line.substr(separator)));
  if (!number) return tl::unexpected(number.error());
  return ParsedLine{*card, *number};
}

// The lines of an import: the first line of each number goes in the batch; a repeat is
// checked after it, one by one, against what the batch did.
struct ImportBatch {
  std::vector<std::size_t> first_lines;
  std::vector<std::size_t> repeated_lines;
  std::vector<AccountImportRow> rows;  // those of first_lines
};

ImportBatch first_and_repeated(std::span<const ImportLine> lines) {
  ImportBatch batch;
  std::unordered_set<std::string_view> seen;
  seen.reserve(lines.size());
  for (std::size_t index = 0; index < lines.size(); ++index) {
    if (seen.insert(lines[index].row.number.str()).second) {
      batch.first_lines.push_back(index);
      batch.rows.push_back(lines[index].row);
    } else {
      batch.repeated_lines.push_back(index);
    }
  }
  return batch;
}

// One audit event per imported batch that changed something or refused a line.
void audit_import(Transaction& transaction, Instant now, const Actor& actor,
                  std::span<const ImportLine> lines, const BulkAddReport& report) {
  const std::size_t inserted = report.added + report.added_without_owner;
  if (inserted == 0 && report.refused.empty()) return;
  detail::audit(transaction, now, actor, AuditAction::kAccountAdded, std::nullopt, std::nullopt,
                "import of lines " + std::to_string(lines.front().line) + "-" +
                    std::to_string(lines.back().line) + ": added " + std::to_string(report.added) +
                    ", without owner " + std::to_string(report.added_without_owner) + ", linked " +
                    std::to_string(report.linked) + ", already there " +
                    std::to_string(report.already_there) + ", refused " +
                    std::to_string(report.refused.size()));
}

// Enrols the active accounts of an import (each once, in file order) in `lottery`.
EnrolReport enrol_imported(Transaction& transaction, DrawRandomness& randomness, Lottery& lottery,
                           const std::vector<std::optional<Account>>& enrol, Instant now,
                           const Actor& actor) {
  std::vector<AccountNumber> numbers;
  std::unordered_set<std::string_view> listed;
  listed.reserve(enrol.size());
  for (const auto& account : enrol) {
    if (account && account->is_active && listed.insert(account->number.str()).second) {
      numbers.push_back(account->number);
    }
  }
  EnrolReport enrolment;
  detail::bring_to_current_fairness(transaction, randomness, lottery);
  const std::uint64_t before = transaction.entries().count(lottery.id);
  enrolment.added = transaction.entries().add_numbers(lottery.id, numbers);
  enrolment.already_enrolled = numbers.size() - enrolment.added;
  enrolment.total_entries = before + enrolment.added;
  detail::extend_entries_hash(transaction, randomness, lottery, before, enrolment.total_entries);
  if (enrolment.added > 0) {
    transaction.lotteries().save_fairness(lottery);
    detail::audit(transaction, now, actor, AuditAction::kEntriesAdded, lottery.id, std::nullopt,
                  "import: added " + std::to_string(enrolment.added));
  }
  return enrolment;
}

}  // namespace

Result<AddAccountOutcome> AccountService::add_account(const Requester& requester,
                                                      const std::optional<ClubCard>& card,
                                                      const AccountNumber& number) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) {
    return add_account_in(transaction, card, number, deps_.clock.now(), *actor);
  });
}

Result<BulkAddReport> AccountService::add_accounts(const Requester& requester,
                                                   std::string_view lines,
                                                   std::optional<LotteryId> enrol_in) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<BulkAddReport> {
    const Instant now = deps_.clock.now();
    auto named = lottery_to_enrol_in(transaction, enrol_in);
    if (!named) return tl::unexpected(named.error());
    std::optional<Lottery> lottery = std::move(*named);
    BulkAddReport report;
    std::vector<AccountNumber> to_enrol;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start <= lines.size()) {
      const std::size_t end = std::min(lines.find('\n', start), lines.size());
      const std::string_view line = lines.substr(start, end - start);
      start = end + 1;
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (line_number > kMaxBulkLines) {
        return fail(ErrorCode::kInvalidArgument, "too many lines");
      }
      auto parsed = parse_line(line);
      Result<AddAccountOutcome> outcome =
          parsed ? add_account_in(transaction, parsed->card, parsed->number, now, *actor)
                 : tl::unexpected(parsed.error());
      if (!outcome) {
        report.refused.push_back(RefusedLine{line_number, std::string(line), outcome.error()});
        continue;
      }
      count_outcome(report, outcome->result);
      to_enrol.push_back(outcome->account.number);
    }
    if (lottery) {
      report.enrolment = detail::enrol_accounts(transaction, deps_.draw_randomness, *lottery,
                                                to_enrol, now, *actor);
    }
    return report;
  });
}

Result<BulkAddReport> AccountService::import_accounts(const Requester& requester,
                                                      std::span<const ImportLine> lines,
                                                      std::optional<LotteryId> enrol_in) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<BulkAddReport> {
    const Instant now = deps_.clock.now();
    auto named = lottery_to_enrol_in(transaction, enrol_in);
    if (!named) return tl::unexpected(named.error());
    std::optional<Lottery> lottery = std::move(*named);
    const ImportBatch batch = first_and_repeated(lines);
    const auto& first_lines = batch.first_lines;
    const auto results = transaction.accounts().import_new(batch.rows, now);

    BulkAddReport report;
    std::vector<std::optional<Account>> enrol(lines.size());  // per line, in file order
    const auto one_by_one = [&](std::size_t index) {
      const ImportLine& line = lines[index];
      auto outcome = add_account_in(transaction, line.row.card, line.row.number, now, *actor);
      if (!outcome) {
        report.refused.push_back(RefusedLine{line.line, line.text, outcome.error()});
        return;
      }
      count_outcome(report, outcome->result);
      enrol[index] = outcome->account;
    };
    std::map<UserId, std::vector<AccountNumber>> added_to;  // in file order
    for (std::size_t i = 0; i < first_lines.size(); ++i) {
      const std::size_t index = first_lines[i];
      const AccountImportResult& result = results.at(i);
      const AccountImportRow& row = lines[index].row;
      if (result.inserted) {
        const Account account{AccountId{}, row.number, result.holder, true, now};
        if (result.holder) {
          ++report.added;
          added_to[*result.holder].push_back(row.number);
        } else {
          ++report.added_without_owner;
        }
        enrol[index] = account;
      } else if (already_there(*result.existing, row.card, result.holder)) {
        ++report.already_there;
        enrol[index] = result.existing;
      } else {
        one_by_one(index);
      }
    }
    for (const auto& [holder, numbers] : added_to) {
      detail::notify_user(transaction, holder, accounts_added(numbers, now));
    }
    for (const std::size_t index : batch.repeated_lines) one_by_one(index);

    audit_import(transaction, now, *actor, lines, report);
    if (lottery) {
      report.enrolment =
          enrol_imported(transaction, deps_.draw_randomness, *lottery, enrol, now, *actor);
    }
    return report;
  });
}

Result<Account> AccountService::deactivate_account(const Requester& requester,
                                                   const AccountNumber& number) {
  auto actor = detail::require_admin(requester, deps_.settings);
  if (!actor) return tl::unexpected(actor.error());
  return detail::in_transaction(deps_, [&](Transaction& transaction) -> Result<Account> {
    auto account = transaction.accounts().find_by_number(number);
    if (!account) return fail(ErrorCode::kUnknownAccount, number.str());
    if (!account->is_active) return fail(ErrorCode::kAccountInactive, number.str());
    account->is_active = false;
    transaction.accounts().update(*account);
    detail::audit(transaction, deps_.clock.now(), *actor, AuditAction::kAccountDeactivated,
                  std::nullopt, std::nullopt, number.str());
    return *account;
  });
}

}  // namespace lottery
