#pragma once

#include "contract_fixture.hpp"

namespace lottery::contract {

template <class Backend>
class WinnerRepositoryContract : public ContractTest<Backend> {
 protected:
  void SetUp() override {
    ContractTest<Backend>::SetUp();
    owner_ = this->add_user(1, "2223");
    lottery_ = this->add_lottery();
    account_ = this->add_account("11-22-33-44-55-66-77", owner_);
    other_account_ = this->add_account("22-33-44-55-66-77-88");
  }
  WinnerId add_pending(int place = 1, std::optional<AccountId> account = {}) {
    const bool mine = !account || *account == account_;
    return this->add_winner(
        this->make_winner(lottery_, mine ? account_ : *account,
                          mine ? "11-22-33-44-55-66-77" : "22-33-44-55-66-77-88",
                          mine ? std::optional{owner_} : std::nullopt, place));
  }
  Winner stored(WinnerId id) {
    return this->read(
        [&](Transaction& transaction) { return transaction.winners().find(id).value(); });
  }
  template <class Change>
  bool change(Change&& operation) {
    return this->committed(std::forward<Change>(operation));
  }

  UserId owner_;
  LotteryId lottery_;
  AccountId account_;
  AccountId other_account_;
};
TYPED_TEST_SUITE_P(WinnerRepositoryContract);

TYPED_TEST_P(WinnerRepositoryContract, StoresTheWinAndItsVerification) {
  Winner winner =
      this->make_winner(this->lottery_, this->account_, "11-22-33-44-55-66-77", this->owner_, 1);
  winner.id = this->add_winner(winner);
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.winners().find(winner.id), winner);
    const auto verification = transaction.winners().verification(winner.id).value();
    EXPECT_EQ(verification.winner, winner.id);
    EXPECT_EQ(verification.token, "token-1");
    EXPECT_FALSE(verification.is_verified);
    EXPECT_EQ(verification.expires_at, winner.deadline);
    EXPECT_EQ(transaction.winners().find(WinnerId{winner.id.value() + 50}), std::nullopt);
    EXPECT_EQ(transaction.winners().verification(WinnerId{winner.id.value() + 50}), std::nullopt);
  });
}

TYPED_TEST_P(WinnerRepositoryContract, ClaimsOnceWhilePendingAndBeforeTheDeadline) {
  const WinnerId id = this->add_pending();
  const Instant at = kT0 + std::chrono::hours{2};
  EXPECT_TRUE(this->change([&](Transaction& transaction) {
    return transaction.winners().claim(id, at, ClaimMethod::kAdminCode, TelegramUserId{42});
  }));
  EXPECT_FALSE(this->change([&](Transaction& transaction) {
    return transaction.winners().claim(id, at, ClaimMethod::kButton, std::nullopt);
  }));
  const Winner winner = this->stored(id);
  EXPECT_EQ(winner.status, WinStatus::kClaimed);
  EXPECT_EQ(winner.claimed_at, at);
  EXPECT_EQ(winner.claimed_how, ClaimMethod::kAdminCode);
  this->read([&](Transaction& transaction) {
    const auto verification = transaction.winners().verification(id).value();
    EXPECT_TRUE(verification.is_verified);
    EXPECT_EQ(verification.verified_at, at);
    EXPECT_EQ(verification.verified_by, TelegramUserId{42});
  });
}

TYPED_TEST_P(WinnerRepositoryContract, NoClaimAtOrAfterTheDeadline) {
  const WinnerId id = this->add_pending();
  EXPECT_FALSE(this->change([&](Transaction& transaction) {
    return transaction.winners().claim(id, kT0 + std::chrono::hours{24}, ClaimMethod::kButton,
                                       std::nullopt);
  }));
  EXPECT_EQ(this->stored(id).status, WinStatus::kPending);
}

TYPED_TEST_P(WinnerRepositoryContract, ExpiresRedrawsAndExtendsOnlyFromTheRightStates) {
  const WinnerId id = this->add_pending();
  const Instant before_deadline = kT0 + std::chrono::hours{23};
  const Instant deadline = kT0 + std::chrono::hours{24};
  EXPECT_FALSE(
      this->change([&](Transaction& t) { return t.winners().expire(id, before_deadline); }));
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().mark_redrawn(id); }));
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().expire(id, deadline); }));
  EXPECT_EQ(this->stored(id).status, WinStatus::kExpired);
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().expire(id, deadline); }));

  const Instant new_deadline = kT0 + std::chrono::hours{48};
  const Instant new_remind = kT0 + std::chrono::hours{45};
  EXPECT_TRUE(this->change([&](Transaction& t) {
    return t.winners().extend(id, new_deadline, new_remind, "renewed-token");
  }));
  Winner winner = this->stored(id);
  EXPECT_EQ(winner.status, WinStatus::kPending);
  EXPECT_EQ(winner.deadline, new_deadline);
  EXPECT_EQ(winner.remind_at, new_remind);
  EXPECT_FALSE(winner.reminded);
  this->read([&](Transaction& t) {
    const auto verification = t.winners().verification(id);
    EXPECT_EQ(verification->expires_at, new_deadline);
    EXPECT_EQ(verification->token, "renewed-token");  // the expired one is not reused
    EXPECT_FALSE(verification->is_verified);
  });

  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().expire(id, new_deadline); }));
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().mark_redrawn(id); }));
  EXPECT_EQ(this->stored(id).status, WinStatus::kRedrawn);
  EXPECT_FALSE(this->change([&](Transaction& t) {
    return t.winners().extend(id, new_deadline, new_remind, "renewed-token");
  }));
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().mark_redrawn(id); }));
}

TYPED_TEST_P(WinnerRepositoryContract, RemindersAndPrizeHandOverHappenOnce) {
  const WinnerId id = this->add_pending();
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().mark_reminded(id); }));
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().mark_reminded(id); }));
  EXPECT_TRUE(this->stored(id).reminded);

  const Instant given = kT0 + std::chrono::hours{5};
  EXPECT_FALSE(
      this->change([&](Transaction& t) { return t.winners().mark_prize_given(id, given); }));
  EXPECT_TRUE(this->change([&](Transaction& t) {
    return t.winners().claim(id, kT0, ClaimMethod::kButton, std::nullopt);
  }));
  EXPECT_TRUE(
      this->change([&](Transaction& t) { return t.winners().mark_prize_given(id, given); }));
  EXPECT_FALSE(
      this->change([&](Transaction& t) { return t.winners().mark_prize_given(id, given); }));
  EXPECT_EQ(this->stored(id).prize_given_at, given);
}

TYPED_TEST_P(WinnerRepositoryContract, ListsByLotteryUserAndAccount) {
  const WinnerId second = this->add_pending(2, this->other_account_);
  const WinnerId first = this->add_pending(1);
  Winner redraw = this->make_winner(this->lottery_, this->other_account_, "22-33-44-55-66-77-88",
                                    std::nullopt, 2, 2);
  const WinnerId second_round = this->add_winner(redraw);
  this->committed([&](Transaction& t) { return t.winners().set_user(second_round, this->owner_); });
  this->read([&](Transaction& t) {
    const auto by_lottery = t.winners().list_by_lottery(this->lottery_);
    ASSERT_EQ(by_lottery.size(), 3U);
    EXPECT_EQ(by_lottery[0].id, first);
    EXPECT_EQ(by_lottery[1].id, second);
    EXPECT_EQ(by_lottery[2].id, second_round);
    const auto by_user = t.winners().list_by_user(this->owner_);
    ASSERT_EQ(by_user.size(), 2U);
    const auto open = t.winners().open_by_account(this->other_account_);
    EXPECT_EQ(open.size(), 2U);
    auto winning = t.winners().winning_accounts(this->lottery_);
    std::sort(winning.begin(), winning.end());
    EXPECT_EQ(winning, (std::vector<AccountId>{this->account_, this->other_account_}));
    EXPECT_TRUE(t.winners().winning_accounts(LotteryId{this->lottery_.value() + 99}).empty());
  });
}

TYPED_TEST_P(WinnerRepositoryContract, FindsWinsDueForExpiryAndReminder) {
  const WinnerId id = this->add_pending(1);
  const WinnerId claimed = this->add_pending(2, this->other_account_);
  EXPECT_TRUE(this->change([&](Transaction& t) {
    return t.winners().claim(claimed, kT0, ClaimMethod::kButton, std::nullopt);
  }));
  this->read([&](Transaction& t) {
    EXPECT_TRUE(t.winners().due_for_reminder(kT0 + std::chrono::hours{17}, 10).empty());
    const auto remind = t.winners().due_for_reminder(kT0 + std::chrono::hours{18}, 10);
    ASSERT_EQ(remind.size(), 1U);
    EXPECT_EQ(remind[0].id, id);
    EXPECT_TRUE(t.winners().due_for_reminder(kT0 + std::chrono::hours{24}, 10).empty());
    EXPECT_TRUE(t.winners().due_for_expiry(kT0 + std::chrono::hours{23}, 10).empty());
    const auto due = t.winners().due_for_expiry(kT0 + std::chrono::hours{24}, 10);
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].id, id);
    EXPECT_TRUE(t.winners().due_for_expiry(kT0 + std::chrono::hours{24}, 0).empty());
  });
}

// A linked account brings its owner the wins still open: pending, and expired but not
// redrawn (an admin may extend them); never claimed or redrawn ones.
TYPED_TEST_P(WinnerRepositoryContract, OpenWinsArePendingOrExpiredNotRedrawn) {
  const WinnerId pending = this->add_pending(1, this->other_account_);
  const WinnerId expired = this->add_pending(2, this->other_account_);
  const WinnerId redrawn = this->add_pending(3, this->other_account_);
  const WinnerId claimed = this->add_pending(4, this->other_account_);
  const Instant deadline = kT0 + std::chrono::hours{24};
  ASSERT_TRUE(this->change([&](Transaction& t) { return t.winners().expire(expired, deadline); }));
  ASSERT_TRUE(this->change([&](Transaction& t) {
    return t.winners().expire(redrawn, deadline) && t.winners().mark_redrawn(redrawn);
  }));
  ASSERT_TRUE(this->change([&](Transaction& t) {
    return t.winners().claim(claimed, kT0, ClaimMethod::kButton, std::nullopt);
  }));
  this->read([&](Transaction& t) {
    std::vector<WinnerId> open;
    for (const Winner& win : t.winners().open_by_account(this->other_account_)) {
      open.push_back(win.id);
    }
    EXPECT_EQ(open, (std::vector<WinnerId>{pending, expired}));
    EXPECT_TRUE(t.winners().open_by_account(this->account_).empty());
  });
}

// R-2FA-1's challenge: one per win, replaced by a new one, tries spent one by one (each
// a guess counted) and never below zero, used up but kept with its counts.
TYPED_TEST_P(WinnerRepositoryContract, KeepsOneSecondFactorChallengePerWin) {
  const WinnerId id = this->add_pending();
  this->read([&](Transaction& t) { EXPECT_EQ(t.winners().challenge(id), std::nullopt); });
  const SmsChallenge first{id, this->owner_, "123456", kT0 + std::chrono::minutes{10}, 2, kT0};
  this->committed([&](Transaction& t) {
    t.winners().start_challenge(first);
    return 0;
  });
  this->read([&](Transaction& t) { EXPECT_EQ(t.winners().challenge(id), first); });
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().spend_attempt(id); }));
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().spend_attempt(id); }));
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().spend_attempt(id); }));
  this->read([&](Transaction& t) {
    EXPECT_EQ(t.winners().challenge(id)->attempts_left, 0);
    EXPECT_EQ(t.winners().challenge(id)->guesses, 2);
  });
  SmsChallenge second{id,       this->owner_,
                      "654321", kT0 + std::chrono::minutes{20},
                      5,        kT0 + std::chrono::minutes{10}};
  second.codes_sent = 2;
  second.guesses = 2;
  this->committed([&](Transaction& t) {
    t.winners().start_challenge(second);
    return 0;
  });
  this->read([&](Transaction& t) { EXPECT_EQ(t.winners().challenge(id), second); });
  this->committed([&](Transaction& t) {
    t.winners().end_challenge(id);
    return 0;
  });
  SmsChallenge used_up = second;
  used_up.attempts_left = 0;
  this->read([&](Transaction& t) { EXPECT_EQ(t.winners().challenge(id), used_up); });
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().spend_attempt(id); }));
}

// A settled win keeps its user: an account moved after its win was confirmed does not
// take the win along (R-OWNER-1).
TYPED_TEST_P(WinnerRepositoryContract, OnlyAnOpenWinChangesItsUser) {
  const WinnerId id = this->add_pending(1, this->other_account_);
  EXPECT_TRUE(this->change([&](Transaction& t) { return t.winners().set_user(id, this->owner_); }));
  EXPECT_EQ(this->stored(id).user, this->owner_);
  const UserId other = this->add_user(2, "4445");
  ASSERT_TRUE(this->change([&](Transaction& t) {
    return t.winners().claim(id, kT0, ClaimMethod::kButton, std::nullopt);
  }));
  EXPECT_FALSE(this->change([&](Transaction& t) { return t.winners().set_user(id, other); }));
  EXPECT_EQ(this->stored(id).user, this->owner_);
}

REGISTER_TYPED_TEST_SUITE_P(WinnerRepositoryContract, StoresTheWinAndItsVerification,
                            ClaimsOnceWhilePendingAndBeforeTheDeadline, NoClaimAtOrAfterTheDeadline,
                            ExpiresRedrawsAndExtendsOnlyFromTheRightStates,
                            RemindersAndPrizeHandOverHappenOnce, ListsByLotteryUserAndAccount,
                            FindsWinsDueForExpiryAndReminder, OpenWinsArePendingOrExpiredNotRedrawn,
                            KeepsOneSecondFactorChallengePerWin, OnlyAnOpenWinChangesItsUser);

}  // namespace lottery::contract
