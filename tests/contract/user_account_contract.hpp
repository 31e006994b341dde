#pragma once

#include "contract_fixture.hpp"

namespace lottery::contract {

template <class Backend>
class UserRepositoryContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(UserRepositoryContract);

TYPED_TEST_P(UserRepositoryContract, InsertedUserIsFoundByEveryKey) {
  User user = this->make_user(1001, "2223", "AB23CD45");
  user.phone = Phone::parse("+79123456789").value();
  const UserId id = this->committed(
      [&](Transaction& transaction) { return transaction.users().insert(user).value(); });
  user.id = id;
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().find(id), user);
    EXPECT_EQ(transaction.users().find_by_telegram_id(TelegramUserId{1001}), user);
    EXPECT_EQ(transaction.users().find_by_club_card(card("2223")), user);
    EXPECT_EQ(transaction.users().find_by_code(code("ab23cd45")), user);
    EXPECT_EQ(transaction.users().find(UserId{id.value() + 1000}), std::nullopt);
    EXPECT_EQ(transaction.users().find_by_telegram_id(TelegramUserId{9}), std::nullopt);
    EXPECT_EQ(transaction.users().find_by_club_card(card("1")), std::nullopt);
    EXPECT_EQ(transaction.users().find_by_code(code("ZZZZZZZZ")), std::nullopt);
  });
}

TYPED_TEST_P(UserRepositoryContract, KeepsLargeTelegramIdsAndUnicodeNames) {
  User user = this->make_user(8'000'000'000'123LL, "00042");
  user.first_name = "Ёлка <b>&amp;</b> '; DROP TABLE users; --";
  user.username = "";
  user.id = this->committed(
      [&](Transaction& transaction) { return transaction.users().insert(user).value(); });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().find_by_telegram_id(TelegramUserId{8'000'000'000'123LL}), user);
  });
}

TYPED_TEST_P(UserRepositoryContract, UnregisteredUserHasNoCardNorCode) {
  const UserId id = this->add_user(1);
  this->read([&](Transaction& transaction) {
    const auto user = transaction.users().find(id).value();
    EXPECT_FALSE(user.is_registered);
    EXPECT_FALSE(user.club_card);
    EXPECT_FALSE(user.verification_code);
    EXPECT_FALSE(user.phone);
  });
  // Several users without cards or codes do not clash.
  this->add_user(2);
}

TYPED_TEST_P(UserRepositoryContract, RefusesDuplicates) {
  this->add_user(1, "2223", "AB23CD45");
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().insert(this->make_user(1, "9999", "ZZZZZZZZ")).error().code,
              ErrorCode::kAlreadyRegistered);
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().insert(this->make_user(2, "2223", "ZZZZZZZZ")).error().code,
              ErrorCode::kCardTaken);
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().insert(this->make_user(3, "3333", "AB23CD45")).error().code,
              ErrorCode::kCodeTaken);
  });
}

TYPED_TEST_P(UserRepositoryContract, UpdateOverwritesAndKeepsUniqueness) {
  const UserId first = this->add_user(1, "1111", "AAAAAAAA");
  const UserId second = this->add_user(2);
  this->committed([&](Transaction& transaction) {
    User user = transaction.users().find(second).value();
    user.club_card = card("2222");
    user.verification_code = code("BBBBBBBB");
    user.is_registered = true;
    user.phone = Phone::parse("+10000000").value();
    ASSERT_TRUE(transaction.users().update(user));
  });
  this->read([&](Transaction& transaction) {
    const User user = transaction.users().find(second).value();
    EXPECT_TRUE(user.is_registered);
    EXPECT_EQ(user.club_card, card("2222"));
    EXPECT_EQ(user.phone->str(), "+10000000");
    User clash = transaction.users().find(first).value();
    clash.club_card = card("2222");
    EXPECT_EQ(transaction.users().update(clash).error().code, ErrorCode::kCardTaken);
  });
}

// /find looks clients up by @username in any case and by phone; several users may share
// either (a name given up in Telegram and taken by someone else, a family phone).
TYPED_TEST_P(UserRepositoryContract, FindsUsersByUsernameAndPhone) {
  User anna = this->make_user(1, "2223");
  anna.username = "Anna_K";
  anna.phone = Phone::parse("+7 (900) 111-22-33").value();
  User boris = this->make_user(2, "4445");
  boris.username = "";
  boris.phone = anna.phone;
  User old = this->make_user(3);
  old.username = "anna_k";
  const auto ids = this->committed([&](Transaction& transaction) {
    return std::vector<UserId>{transaction.users().insert(anna).value(),
                               transaction.users().insert(boris).value(),
                               transaction.users().insert(old).value()};
  });
  this->read([&](Transaction& transaction) {
    const auto ids_of = [](const std::vector<User>& users) {
      std::vector<UserId> found;
      found.reserve(users.size());
      for (const User& user : users) found.push_back(user.id);
      return found;
    };
    EXPECT_EQ(ids_of(transaction.users().find_by_username("ANNA_K")),
              (std::vector<UserId>{ids[0], ids[2]}));
    EXPECT_TRUE(transaction.users().find_by_username("anna").empty());
    EXPECT_TRUE(transaction.users().find_by_username("").empty());  // no name is no match
    EXPECT_EQ(ids_of(transaction.users().find_by_phone(*anna.phone)),
              (std::vector<UserId>{ids[0], ids[1]}));
    EXPECT_TRUE(transaction.users().find_by_phone(Phone::parse("+79001112234").value()).empty());
  });
}

REGISTER_TYPED_TEST_SUITE_P(UserRepositoryContract, InsertedUserIsFoundByEveryKey,
                            KeepsLargeTelegramIdsAndUnicodeNames, UnregisteredUserHasNoCardNorCode,
                            RefusesDuplicates, UpdateOverwritesAndKeepsUniqueness,
                            FindsUsersByUsernameAndPhone);

template <class Backend>
class AccountRepositoryContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(AccountRepositoryContract);

TYPED_TEST_P(AccountRepositoryContract, InsertsAndFinds) {
  const UserId owner = this->add_user(1, "2223");
  const AccountId id = this->add_account("11-22-33-44-55-66-77", owner);
  const AccountId ownerless = this->add_account("22-33-44-55-66-77-88");
  this->read([&](Transaction& transaction) {
    const Account expected{id, number("11-22-33-44-55-66-77"), owner, true, kT0};
    EXPECT_EQ(transaction.accounts().find(id), expected);
    EXPECT_EQ(transaction.accounts().find_by_number(number("11223344556677")), expected);
    EXPECT_EQ(transaction.accounts().find(ownerless)->owner, std::nullopt);
    EXPECT_EQ(transaction.accounts().find_by_number(number("99999999999999")), std::nullopt);
  });
}

TYPED_TEST_P(AccountRepositoryContract, RefusesADuplicateNumber) {
  this->add_account("11-22-33-44-55-66-77");
  this->read([&](Transaction& transaction) {
    const auto again = transaction.accounts().insert(
        Account{AccountId{}, number("11-22-33-44-55-66-77"), std::nullopt, true, kT0});
    EXPECT_EQ(again.error().code, ErrorCode::kAccountExists);
  });
}

TYPED_TEST_P(AccountRepositoryContract, UpdatesOwnerAndActivity) {
  const UserId owner = this->add_user(1, "2223");
  const AccountId id = this->add_account("11-22-33-44-55-66-77");
  this->committed([&](Transaction& transaction) {
    Account account = transaction.accounts().find(id).value();
    account.owner = owner;
    account.is_active = false;
    transaction.accounts().update(account);
  });
  this->read([&](Transaction& transaction) {
    const Account account = transaction.accounts().find(id).value();
    EXPECT_EQ(account.owner, owner);
    EXPECT_FALSE(account.is_active);
  });
}

TYPED_TEST_P(AccountRepositoryContract, ListsAnOwnersAccountsByNumber) {
  const UserId owner = this->add_user(1, "2223");
  const UserId other = this->add_user(2, "4445");
  this->add_account("33-00-00-00-00-00-00", owner);
  this->add_account("11-00-00-00-00-00-00", owner, false);
  this->add_account("22-00-00-00-00-00-00", other);
  this->add_account("44-00-00-00-00-00-00");
  this->read([&](Transaction& transaction) {
    const auto listed = transaction.accounts().list_by_owner(owner);
    ASSERT_EQ(listed.size(), 2U);
    EXPECT_EQ(listed[0].number.str(), "11-00-00-00-00-00-00");
    EXPECT_FALSE(listed[0].is_active);
    EXPECT_EQ(listed[1].number.str(), "33-00-00-00-00-00-00");
  });
}

TYPED_TEST_P(AccountRepositoryContract, ImportsNewAccountsAndReportsTheRest) {
  const UserId holder = this->add_user(1, "2223");
  const UserId other = this->add_user(2, "4445");
  const AccountId owned = this->add_account("11-00-00-00-00-00-00", other, false);
  const AccountId ownerless = this->add_account("22-00-00-00-00-00-00");
  const std::vector<AccountImportRow> rows{
      {number("33-00-00-00-00-00-00"), card("2223")},  // new, the card is registered
      {number("11-00-00-00-00-00-00"), card("2223")},  // on record, another owner
      {number("44-00-00-00-00-00-00"), card("9999")},  // new, nobody holds the card
      {number("22-00-00-00-00-00-00"), std::nullopt},  // on record, ownerless
      {number("55-00-00-00-00-00-00"), std::nullopt},  // new, no card
  };
  // To the microsecond: PostgreSQL takes it in COPY's binary format.
  const Instant later = kT0 + std::chrono::hours{1} + std::chrono::microseconds{123'457};
  const auto results = this->committed(
      [&](Transaction& transaction) { return transaction.accounts().import_new(rows, later); });
  ASSERT_EQ(results.size(), rows.size());
  EXPECT_EQ(results[0].holder, holder);
  EXPECT_TRUE(results[0].inserted);
  EXPECT_EQ(results[0].existing, std::nullopt);
  EXPECT_EQ(results[1].holder, holder);
  EXPECT_FALSE(results[1].inserted);
  EXPECT_EQ(results[1].existing,
            (Account{owned, number("11-00-00-00-00-00-00"), other, false, kT0}));
  EXPECT_EQ(results[2].holder, std::nullopt);
  EXPECT_TRUE(results[2].inserted);
  EXPECT_FALSE(results[3].inserted);
  EXPECT_EQ(results[3].existing->id, ownerless);
  EXPECT_EQ(results[3].existing->owner, std::nullopt);
  EXPECT_TRUE(results[4].inserted);
  this->read([&](Transaction& transaction) {
    const auto added = transaction.accounts().find_by_number(number("33-00-00-00-00-00-00"));
    ASSERT_TRUE(added);
    EXPECT_EQ(added->owner, holder);
    EXPECT_TRUE(added->is_active);
    EXPECT_EQ(added->created_at, later);
    EXPECT_EQ(transaction.accounts().find_by_number(number("44-00-00-00-00-00-00"))->owner,
              std::nullopt);
    EXPECT_TRUE(transaction.accounts().find_by_number(number("55-00-00-00-00-00-00")));
    // What was on record is untouched.
    EXPECT_EQ(transaction.accounts().find(owned)->owner, other);
    EXPECT_EQ(transaction.accounts().list_by_owner(holder).size(), 1U);
  });
  // Importing the same rows again adds nothing.
  const auto again = this->committed(
      [&](Transaction& transaction) { return transaction.accounts().import_new(rows, later); });
  for (const auto& result : again) EXPECT_FALSE(result.inserted);
  EXPECT_EQ(again[0].existing->owner, holder);
}

TYPED_TEST_P(AccountRepositoryContract, ImportsAnEmptyBatch) {
  const auto results = this->committed([&](Transaction& transaction) {
    return transaction.accounts().import_new(std::span<const AccountImportRow>{}, kT0);
  });
  EXPECT_TRUE(results.empty());
}

REGISTER_TYPED_TEST_SUITE_P(AccountRepositoryContract, InsertsAndFinds, RefusesADuplicateNumber,
                            UpdatesOwnerAndActivity, ListsAnOwnersAccountsByNumber,
                            ImportsNewAccountsAndReportsTheRest, ImportsAnEmptyBatch);

}  // namespace lottery::contract
