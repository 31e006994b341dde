#pragma once

// Users and accounts of the in-memory store (memory_store.cpp assembles them into transactions).

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "fakes/memory_store.hpp"
#include "fakes/memory_writes.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::testing::memory {

class MemoryUsers : public UserRepository {
 public:
  explicit MemoryUsers(Writes& writes) : writes_(writes) {}

  std::optional<User> find(UserId id) override {
    const auto found = users().find(id.value());
    return found == users().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<User> find_by_telegram_id(TelegramUserId telegram_id) override {
    return find_if([&](const User& user) { return user.telegram_id == telegram_id; });
  }
  std::optional<User> find_by_club_card(const ClubCard& card) override {
    return find_if([&](const User& user) { return user.club_card == card; });
  }
  std::optional<User> find_by_code(const VerificationCode& code) override {
    return find_if([&](const User& user) { return user.verification_code == code; });
  }
  std::vector<User> find_by_username(std::string_view username) override {
    const auto lower = [](std::string_view text) {
      std::string lowered(text);
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lowered;
    };
    return select([&](const User& user) {
      return !user.username.empty() && lower(user.username) == lower(username);
    });
  }
  std::vector<User> find_by_phone(const Phone& phone) override {
    return select([&](const User& user) { return user.phone == phone; });
  }
  Result<UserId> insert(const User& user) override {
    writes_.before("users.insert");
    if (auto unique = check_unique(user, UserId{}); !unique) return tl::unexpected(unique.error());
    User stored = user;
    stored.id = UserId{writes_.next_id("users")};
    users()[stored.id.value()] = stored;
    return stored.id;
  }
  Result<void> update(const User& user) override {
    writes_.before("users.update");
    if (!users().contains(user.id.value())) return fail(ErrorCode::kUnknownUser);
    if (auto unique = check_unique(user, user.id); !unique) return unique;
    users()[user.id.value()] = user;
    return {};
  }

 private:
  std::map<std::int64_t, User>& users() { return writes_.state().users; }

  template <class Predicate>
  std::vector<User> select(Predicate predicate) {
    std::vector<User> found;
    for (const auto& [id, user] : users()) {
      if (predicate(user)) found.push_back(user);
    }
    return found;
  }
  template <class Predicate>
  std::optional<User> find_if(Predicate predicate) {
    for (const auto& [id, user] : users()) {
      if (predicate(user)) return user;
    }
    return std::nullopt;
  }

  Result<void> check_unique(const User& user, UserId self) {
    for (const auto& [id, other] : users()) {
      if (other.id == self) continue;
      if (other.telegram_id == user.telegram_id) return fail(ErrorCode::kAlreadyRegistered);
      if (user.club_card && other.club_card == user.club_card) {
        return fail(ErrorCode::kCardTaken, user.club_card->str());
      }
      if (user.verification_code && other.verification_code == user.verification_code) {
        return fail(ErrorCode::kCodeTaken);
      }
    }
    return {};
  }

  Writes& writes_;
};

class MemoryAccounts : public AccountRepository {
 public:
  explicit MemoryAccounts(Writes& writes) : writes_(writes) {}

  std::optional<Account> find(AccountId id) override {
    const auto found = accounts().find(id.value());
    return found == accounts().end() ? std::nullopt : std::optional{found->second};
  }
  std::optional<Account> find_by_number(const AccountNumber& number) override {
    for (const auto& [id, account] : accounts()) {
      if (account.number == number) return account;
    }
    return std::nullopt;
  }
  Result<AccountId> insert(const Account& account) override {
    writes_.before("accounts.insert");
    if (find_by_number(account.number)) {
      return fail(ErrorCode::kAccountExists, account.number.str());
    }
    Account stored = account;
    stored.id = AccountId{writes_.next_id("accounts")};
    accounts().emplace(stored.id.value(), stored);
    return stored.id;
  }
  void update(const Account& account) override {
    writes_.before("accounts.update");
    const auto found = accounts().find(account.id.value());
    if (found == accounts().end()) return;
    found->second.owner = account.owner;
    found->second.is_active = account.is_active;
  }
  std::vector<Account> list_by_owner(UserId owner) override {
    std::vector<Account> owned;
    for (const auto& [id, account] : accounts()) {
      if (account.owner == owner) owned.push_back(account);
    }
    std::sort(owned.begin(), owned.end(),
              [](const Account& a, const Account& b) { return a.number < b.number; });
    return owned;
  }
  std::vector<AccountImportResult> import_new(std::span<const AccountImportRow> rows,
                                              Instant now) override {
    writes_.before("accounts.import_new");
    std::vector<AccountImportResult> results;
    results.reserve(rows.size());
    for (const AccountImportRow& row : rows) {
      AccountImportResult result;
      if (row.card) {
        for (const auto& [id, user] : writes_.state().users) {
          if (user.club_card == row.card && user.is_registered) result.holder = user.id;
        }
      }
      result.existing = find_by_number(row.number);
      if (!result.existing) {
        Account account{AccountId{writes_.next_id("accounts")}, row.number, result.holder, true,
                        now};
        accounts().emplace(account.id.value(), account);
        result.inserted = true;
      }
      results.push_back(result);
    }
    return results;
  }

 private:
  std::map<std::int64_t, Account>& accounts() { return writes_.state().accounts; }
  Writes& writes_;
};

}  // namespace lottery::testing::memory
