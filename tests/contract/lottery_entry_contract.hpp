#pragma once

#include <array>
#include <map>
#include <string>

#include "contract_fixture.hpp"

namespace lottery::contract {

template <class Backend>
class LotteryRepositoryContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(LotteryRepositoryContract);

TYPED_TEST_P(LotteryRepositoryContract, StoresTheLotteryWithItsPrizesAndSeed) {
  Lottery lottery = this->make_lottery("Новогодний розыгрыш", 3);
  lottery.claim_window = std::chrono::seconds{90};
  lottery.id = this->committed(
      [&](Transaction& transaction) { return transaction.lotteries().insert(lottery); });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.lotteries().find(lottery.id), lottery);
    EXPECT_EQ(transaction.lotteries().find_for_update(lottery.id), lottery);
    EXPECT_EQ(transaction.lotteries().find(LotteryId{lottery.id.value() + 100}), std::nullopt);
  });
}

TYPED_TEST_P(LotteryRepositoryContract, ListsNewestFirst) {
  const LotteryId first = this->add_lottery("A");
  Lottery later = this->make_lottery("B");
  later.created_at = kT0 + std::chrono::minutes{1};
  const LotteryId second = this->committed(
      [&](Transaction& transaction) { return transaction.lotteries().insert(later); });
  this->read([&](Transaction& transaction) {
    const auto all = transaction.lotteries().list();
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].id, second);
    EXPECT_EQ(all[1].id, first);
  });
}

TYPED_TEST_P(LotteryRepositoryContract, NamesTheTitlesOfThoseThatExist) {
  const LotteryId spring = this->add_lottery("Весенний «розыгрыш» 'Клуба'");
  const LotteryId summer = this->add_lottery("Летний");
  const LotteryId missing{summer.value() + 100};
  this->read([&](Transaction& transaction) {
    const std::array ids{summer, missing, spring, summer};
    const std::map<LotteryId, std::string> expected{{spring, "Весенний «розыгрыш» 'Клуба'"},
                                                    {summer, "Летний"}};
    EXPECT_EQ(transaction.lotteries().titles(ids), expected);
    EXPECT_TRUE(transaction.lotteries().titles({}).empty());
  });
}

TYPED_TEST_P(LotteryRepositoryContract, MarksDrawnOnlyOnce) {
  const LotteryId id = this->add_lottery();
  const Instant drawn_at = kT0 + std::chrono::hours{1};
  EXPECT_TRUE(this->committed([&](Transaction& transaction) {
    return transaction.lotteries().mark_drawn(id, drawn_at, 7);
  }));
  EXPECT_FALSE(this->committed([&](Transaction& transaction) {
    return transaction.lotteries().mark_drawn(id, drawn_at, 9);
  }));
  this->committed([&](Transaction& transaction) {
    transaction.lotteries().set_draw_cursor(id, 12);
    transaction.lotteries().set_status(id, LotteryStatus::kClosed);
  });
  this->read([&](Transaction& transaction) {
    const Lottery lottery = transaction.lotteries().find(id).value();
    EXPECT_EQ(lottery.status, LotteryStatus::kClosed);
    EXPECT_EQ(lottery.drawn_at, drawn_at);
    EXPECT_EQ(lottery.draw_cursor, 12U);
  });
}

REGISTER_TYPED_TEST_SUITE_P(LotteryRepositoryContract, StoresTheLotteryWithItsPrizesAndSeed,
                            ListsNewestFirst, NamesTheTitlesOfThoseThatExist, MarksDrawnOnlyOnce);

template <class Backend>
class EntryRepositoryContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(EntryRepositoryContract);

TYPED_TEST_P(EntryRepositoryContract, OrdinalsFollowTheOrderOfEnrolment) {
  const UserId owner = this->add_user(1, "2223");
  const LotteryId lottery = this->add_lottery();
  const AccountId a = this->add_account("11-00-00-00-00-00-00", owner);
  const AccountId b = this->add_account("22-00-00-00-00-00-00");
  const AccountId c = this->add_account("33-00-00-00-00-00-00");
  this->committed([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.entries().add(lottery, c));
    EXPECT_TRUE(transaction.entries().add(lottery, a));
    EXPECT_FALSE(transaction.entries().add(lottery, c));
    EXPECT_TRUE(transaction.entries().add(lottery, b));
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.entries().count(lottery), 3U);
    const std::array<std::uint64_t, 4> ordinals{2, 0, 1, 0};
    const auto entries = transaction.entries().at(lottery, ordinals);
    ASSERT_EQ(entries.size(), 4U);
    EXPECT_EQ(entries[0].account, b);
    EXPECT_EQ(entries[0].ordinal, 2U);
    EXPECT_EQ(entries[1].account, c);
    EXPECT_EQ(entries[2], (Entry{lottery, 1, a, number("11-00-00-00-00-00-00"), owner, true}));
    EXPECT_EQ(entries[3].account, c);
    // A range comes back in ordinal order, and only the entries that exist.
    const auto middle = transaction.entries().range(lottery, 1, 3);
    ASSERT_EQ(middle.size(), 2U);
    EXPECT_EQ(middle[0], entries[2]);
    EXPECT_EQ(middle[1], entries[0]);
    EXPECT_EQ(transaction.entries().range(lottery, 0, 10).size(), 3U);
    EXPECT_TRUE(transaction.entries().range(lottery, 3, 10).empty());
    EXPECT_TRUE(transaction.entries().contains(lottery, a));
    EXPECT_EQ(transaction.entries().ordinal_of(lottery, c), 0U);
    EXPECT_EQ(transaction.entries().ordinal_of(lottery, b), 2U);
    EXPECT_EQ(transaction.entries().ordinal_of(LotteryId{lottery.value() + 1}, b), std::nullopt);
  });
}

TYPED_TEST_P(EntryRepositoryContract, EntriesShowTheAccountsCurrentState) {
  const LotteryId lottery = this->add_lottery();
  const AccountId id = this->add_account("11-00-00-00-00-00-00");
  this->committed([&](Transaction& transaction) { (void)transaction.entries().add(lottery, id); });
  const UserId owner = this->add_user(1, "2223");
  this->committed([&](Transaction& transaction) {
    Account account = transaction.accounts().find(id).value();
    account.is_active = false;
    account.owner = owner;
    transaction.accounts().update(account);
  });
  this->read([&](Transaction& transaction) {
    const std::array<std::uint64_t, 1> first{0};
    const Entry entry = transaction.entries().at(lottery, first).at(0);
    EXPECT_FALSE(entry.is_active);
    EXPECT_EQ(entry.owner, owner);
  });
}

TYPED_TEST_P(EntryRepositoryContract, EnrolsAllActiveAccountsNotYetEnrolled) {
  const LotteryId lottery = this->add_lottery();
  const LotteryId other = this->add_lottery();
  const AccountId a = this->add_account("11-00-00-00-00-00-00");
  const AccountId inactive = this->add_account("22-00-00-00-00-00-00", std::nullopt, false);
  const AccountId c = this->add_account("33-00-00-00-00-00-00");
  const AccountId d = this->add_account("44-00-00-00-00-00-00");
  this->committed([&](Transaction& transaction) {
    (void)transaction.entries().add(lottery, d);
    (void)transaction.entries().add(other, a);
  });
  EXPECT_EQ(this->committed([&](Transaction& transaction) {
    return transaction.entries().add_all_active(lottery);
  }),
            2U);
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.entries().count(lottery), 3U);
    EXPECT_EQ(transaction.entries().count(other), 1U);
    const std::array<std::uint64_t, 3> ordinals{0, 1, 2};
    const auto entries = transaction.entries().at(lottery, ordinals);
    EXPECT_EQ(entries[0].account, d);
    EXPECT_EQ(entries[1].account, a);  // then in account-id order
    EXPECT_EQ(entries[2].account, c);
    EXPECT_FALSE(transaction.entries().contains(lottery, inactive));
    EXPECT_EQ(transaction.entries().add_all_active(lottery), 0U);
  });
}

TYPED_TEST_P(EntryRepositoryContract, AnEmptyLotteryHasNoEntries) {
  const LotteryId lottery = this->add_lottery();
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.entries().count(lottery), 0U);
    EXPECT_TRUE(transaction.entries().at(lottery, {}).empty());
  });
}

TYPED_TEST_P(EntryRepositoryContract, EnrolsActiveAccountsByNumberInTheOrderGiven) {
  const LotteryId lottery = this->add_lottery();
  const AccountId a = this->add_account("11-00-00-00-00-00-00");
  this->add_account("22-00-00-00-00-00-00", std::nullopt, false);
  const AccountId c = this->add_account("33-00-00-00-00-00-00");
  const AccountId d = this->add_account("44-00-00-00-00-00-00");
  this->committed([&](Transaction& transaction) { (void)transaction.entries().add(lottery, a); });
  const std::vector<AccountNumber> numbers{number("44-00-00-00-00-00-00"),
                                           number("22-00-00-00-00-00-00"),  // inactive
                                           number("99-00-00-00-00-00-00"),  // unknown
                                           number("11-00-00-00-00-00-00"),  // already enrolled
                                           number("33-00-00-00-00-00-00")};
  EXPECT_EQ(this->committed([&](Transaction& transaction) {
    return transaction.entries().add_numbers(lottery, numbers);
  }),
            2U);
  this->read([&](Transaction& transaction) {
    ASSERT_EQ(transaction.entries().count(lottery), 3U);
    const auto entries = transaction.entries().range(lottery, 0, 3);
    EXPECT_EQ(entries[0].account, a);
    EXPECT_EQ(entries[1].account, d);
    EXPECT_EQ(entries[2].account, c);
    EXPECT_EQ(entries[2].ordinal, 2U);
    EXPECT_EQ(transaction.entries().add_numbers(lottery, numbers), 0U);
    EXPECT_EQ(transaction.entries().add_numbers(lottery, std::span<const AccountNumber>{}), 0U);
  });
}

REGISTER_TYPED_TEST_SUITE_P(EntryRepositoryContract, OrdinalsFollowTheOrderOfEnrolment,
                            EntriesShowTheAccountsCurrentState,
                            EnrolsAllActiveAccountsNotYetEnrolled,
                            EnrolsActiveAccountsByNumberInTheOrderGiven,
                            AnEmptyLotteryHasNoEntries);

}  // namespace lottery::contract
