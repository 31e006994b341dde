#pragma once

// The audit log, the reports, transactions, dialogues and processed updates.

#include "contract_fixture.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::contract {

template <class Backend>
class AuditLogContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(AuditLogContract);

TYPED_TEST_P(AuditLogContract, AppendsAndListsPerLotteryInOrder) {
  const LotteryId lottery = this->add_lottery();
  const LotteryId other = this->add_lottery();
  const AuditEvent first{kT0,
                         Actor{ActorKind::kAdmin, TelegramUserId{9}},
                         AuditAction::kLotteryDrawn,
                         lottery,
                         std::nullopt,
                         "entries 10"};
  const AuditEvent unrelated{kT0,
                             Actor{ActorKind::kSystem, std::nullopt},
                             AuditAction::kUserRegistered,
                             std::nullopt,
                             std::nullopt,
                             ""};
  const AuditEvent elsewhere{kT0,
                             Actor{ActorKind::kSystem, std::nullopt},
                             AuditAction::kLotteryCreated,
                             other,
                             std::nullopt,
                             "B"};
  const AuditEvent second{kT0 + std::chrono::seconds{1},
                          Actor{ActorKind::kUser, TelegramUserId{5}},
                          AuditAction::kWinConfirmRefused,
                          lottery,
                          std::nullopt,
                          "not_your_win"};
  this->committed([&](Transaction& transaction) {
    for (const auto& event : {first, unrelated, elsewhere, second}) {
      transaction.audit().append(event);
    }
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.audit().for_lottery(lottery), (std::vector<AuditEvent>{first, second}));
  });
}

REGISTER_TYPED_TEST_SUITE_P(AuditLogContract, AppendsAndListsPerLotteryInOrder);

template <class Backend>
class ReportQueriesContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(ReportQueriesContract);

// The three reports of the club's notes on data whose answers are counted by hand:
// Anna has two wins (one claimed), Boris none, an ownerless account one; Anna's account
// is in both lotteries, the other two in the first only.
TYPED_TEST_P(ReportQueriesContract, AnswersTheThreeReports) {
  const UserId anna = this->add_user(1, "2223");
  const UserId boris = this->add_user(2, "1111");
  const AccountId mine = this->add_account("11-00-00-00-00-00-00", anna);
  const AccountId his = this->add_account("22-00-00-00-00-00-00", boris);
  const AccountId ownerless = this->add_account("33-00-00-00-00-00-00");
  const LotteryId first = this->add_lottery("Первый");
  const LotteryId second = this->add_lottery("Второй");
  this->committed([&](Transaction& transaction) {
    for (const AccountId account : {mine, his, ownerless}) {
      (void)transaction.entries().add(first, account);
    }
    (void)transaction.entries().add(second, mine);
  });
  const WinnerId anna_first =
      this->add_winner(this->make_winner(first, mine, "11-00-00-00-00-00-00", anna, 1));
  const WinnerId nobodys = this->add_winner(
      this->make_winner(first, ownerless, "33-00-00-00-00-00-00", std::nullopt, 2));
  const WinnerId anna_second =
      this->add_winner(this->make_winner(second, mine, "11-00-00-00-00-00-00", anna, 1));
  EXPECT_TRUE(this->committed([&](Transaction& transaction) {
    return transaction.winners().claim(anna_first, kT0, ClaimMethod::kButton, std::nullopt);
  }));

  this->read([&](Transaction& transaction) {
    // The notes count wins without a card under «Нет данных»: here the ownerless one.
    EXPECT_EQ(
        transaction.reports().winners_by_card(),
        (std::vector<WinnersByCardRow>{{card("2223"), "Имя 1", 2, 1}, {std::nullopt, "", 1, 0}}));

    const std::vector<TopAccountRow> all{{number("11-00-00-00-00-00-00"), card("2223"), 2},
                                         {number("22-00-00-00-00-00-00"), card("1111"), 1},
                                         {number("33-00-00-00-00-00-00"), std::nullopt, 1}};
    EXPECT_EQ(transaction.reports().top_accounts(std::nullopt), all);
    EXPECT_EQ(transaction.reports().top_accounts(2), (std::vector<TopAccountRow>{all[0], all[1]}));

    // Both open wins are due at kT0 + 24 h, the claimed one never.
    EXPECT_TRUE(transaction.reports()
                    .unclaimed_past_deadline(kT0 + std::chrono::hours{24} - std::chrono::seconds{1})
                    .empty());
    std::vector<WinnerId> due;
    for (const auto& row :
         transaction.reports().unclaimed_past_deadline(kT0 + std::chrono::hours{24})) {
      due.push_back(row.winner);
    }
    EXPECT_EQ(due, (std::vector<WinnerId>{nobodys, anna_second}));
  });

  // An extended win is judged by its own new deadline, not by its draw's time.
  ASSERT_TRUE(this->committed([&](Transaction& transaction) {
    return transaction.winners().extend(anna_second, kT0 + std::chrono::hours{48},
                                        kT0 + std::chrono::hours{42}, "token");
  }));
  this->read([&](Transaction& transaction) {
    const auto unclaimed =
        transaction.reports().unclaimed_past_deadline(kT0 + std::chrono::hours{25});
    ASSERT_EQ(unclaimed.size(), 1U);
    const UnclaimedRow& row = unclaimed[0];
    EXPECT_EQ(row.winner, nobodys);
    EXPECT_EQ(row.lottery_title, "Первый");
    EXPECT_EQ(row.place, 2);
    EXPECT_EQ(row.account.str(), "33-00-00-00-00-00-00");
    EXPECT_EQ(row.club_card, std::nullopt);
    EXPECT_EQ(row.deadline, kT0 + std::chrono::hours{24});
  });
}

REGISTER_TYPED_TEST_SUITE_P(ReportQueriesContract, AnswersTheThreeReports);

template <class Backend>
class TransactionContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(TransactionContract);

TYPED_TEST_P(TransactionContract, UncommittedWorkIsRolledBack) {
  {
    auto transaction = this->store().begin();
    (void)transaction->users().insert(this->make_user(1, "2223"));
    (void)transaction->lotteries().insert(this->make_lottery());
    // destroyed without commit
  }
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.users().find_by_telegram_id(TelegramUserId{1}), std::nullopt);
    EXPECT_TRUE(transaction.lotteries().list().empty());
  });
}

TYPED_TEST_P(TransactionContract, ATransactionSeesItsOwnWritesAndCommitsThemTogether) {
  this->committed([&](Transaction& transaction) {
    const UserId id = transaction.users().insert(this->make_user(1, "2223")).value();
    EXPECT_EQ(transaction.users().find(id)->telegram_id, TelegramUserId{1});
    (void)transaction.accounts().insert(
        Account{AccountId{}, number("11-00-00-00-00-00-00"), id, true, kT0});
  });
  this->read([&](Transaction& transaction) {
    const auto user = transaction.users().find_by_telegram_id(TelegramUserId{1});
    ASSERT_TRUE(user);
    EXPECT_EQ(transaction.accounts().list_by_owner(user->id).size(), 1U);
  });
}

TYPED_TEST_P(TransactionContract, NestedUnitsOfWorkCommitIntoTheirParentOrUndoThemselves) {
  {
    auto outer = this->store().begin();
    (void)outer->users().insert(this->make_user(1, "1111"));
    {
      auto kept = outer->nested();
      (void)kept->users().insert(this->make_user(2, "2222"));
      kept->commit();
    }
    {
      auto undone = outer->nested();
      (void)undone->users().insert(this->make_user(3, "3333"));
      EXPECT_TRUE(undone->users().find_by_telegram_id(TelegramUserId{3}));
      // destroyed without commit
    }
    EXPECT_TRUE(outer->users().find_by_telegram_id(TelegramUserId{2}));
    EXPECT_FALSE(outer->users().find_by_telegram_id(TelegramUserId{3}));
    {
      auto deeper = outer->nested();
      auto deepest = deeper->nested();
      (void)deepest->users().insert(this->make_user(4, "4444"));
      deepest->commit();
      deeper->commit();
    }
    outer->commit();
  }
  this->read([&](Transaction& transaction) {
    for (const std::int64_t kept : {1, 2, 4}) {
      EXPECT_TRUE(transaction.users().find_by_telegram_id(TelegramUserId{kept})) << kept;
    }
    EXPECT_FALSE(transaction.users().find_by_telegram_id(TelegramUserId{3}));
  });
  {
    auto outer = this->store().begin();
    auto inner = outer->nested();
    (void)inner->users().insert(this->make_user(5, "5555"));
    inner->commit();
    // the outer one is rolled back: the committed inner work goes with it
  }
  this->read([&](Transaction& transaction) {
    EXPECT_FALSE(transaction.users().find_by_telegram_id(TelegramUserId{5}));
  });
}

REGISTER_TYPED_TEST_SUITE_P(TransactionContract, UncommittedWorkIsRolledBack,
                            ATransactionSeesItsOwnWritesAndCommitsThemTogether,
                            NestedUnitsOfWorkCommitIntoTheirParentOrUndoThemselves);

template <class Backend>
class DialogueContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(DialogueContract);

TYPED_TEST_P(DialogueContract, KeepsOneDialoguePerUserAndChat) {
  const Dialogue registration{ChatId{10}, TelegramUserId{10},     "register",
                              "phone",    "card=2223\nname=Анна", kT0};
  const Dialogue in_group{ChatId{-500}, TelegramUserId{10}, "new_lottery", "prizes", "", kT0};
  this->committed_update([&](UpdateTransaction& transaction) {
    transaction.dialogues().save(registration);
    transaction.dialogues().save(in_group);
  });
  this->read_update([&](UpdateTransaction& transaction) {
    EXPECT_EQ(transaction.dialogues().find(ChatId{10}, TelegramUserId{10}), registration);
    EXPECT_EQ(transaction.dialogues().find(ChatId{-500}, TelegramUserId{10}), in_group);
    EXPECT_EQ(transaction.dialogues().find(ChatId{10}, TelegramUserId{11}), std::nullopt);
  });
  Dialogue moved = registration;
  moved.step = "done";
  moved.updated_at = kT0 + std::chrono::seconds{5};
  this->committed_update([&](UpdateTransaction& transaction) {
    transaction.dialogues().save(moved);
    transaction.dialogues().remove(ChatId{-500}, TelegramUserId{10});
    transaction.dialogues().remove(ChatId{1}, TelegramUserId{1});  // nothing to remove: fine
  });
  this->read_update([&](UpdateTransaction& transaction) {
    EXPECT_EQ(transaction.dialogues().find(ChatId{10}, TelegramUserId{10}), moved);
    EXPECT_EQ(transaction.dialogues().find(ChatId{-500}, TelegramUserId{10}), std::nullopt);
  });
}

REGISTER_TYPED_TEST_SUITE_P(DialogueContract, KeepsOneDialoguePerUserAndChat);

template <class Backend>
class ProcessedUpdatesContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(ProcessedUpdatesContract);

TYPED_TEST_P(ProcessedUpdatesContract, ClaimsUpdatesOnceAndForgetsOldOnes) {
  // A claim rolled back with its transaction is not kept.
  this->read_update([&](UpdateTransaction& transaction) {
    EXPECT_TRUE(transaction.updates().claim(900000003, kT0));
  });
  this->committed_update([&](UpdateTransaction& transaction) {
    EXPECT_TRUE(transaction.updates().claim(900000001, kT0));
    EXPECT_FALSE(transaction.updates().claim(900000001, kT0));
    EXPECT_TRUE(transaction.updates().claim(900000002, kT0 + std::chrono::hours{2}));
  });
  this->read_update([&](UpdateTransaction& transaction) {
    EXPECT_FALSE(transaction.updates().claim(900000001, kT0 + std::chrono::hours{3}));
    EXPECT_FALSE(transaction.updates().claim(900000002, kT0));
    EXPECT_TRUE(transaction.updates().claim(900000003, kT0));
  });
  this->committed_update([&](UpdateTransaction& transaction) {
    transaction.updates().prune(kT0 + std::chrono::hours{1});
  });
  this->read_update([&](UpdateTransaction& transaction) {
    EXPECT_TRUE(transaction.updates().claim(900000001, kT0));  // forgotten
    EXPECT_FALSE(transaction.updates().claim(900000002, kT0));
  });
}

REGISTER_TYPED_TEST_SUITE_P(ProcessedUpdatesContract, ClaimsUpdatesOnceAndForgetsOldOnes);

}  // namespace lottery::contract
