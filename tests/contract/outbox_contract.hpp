#pragma once

#include <algorithm>

#include "contract_fixture.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::contract {

inline constexpr std::chrono::seconds kLease{120};

template <class Backend>
class OutboxContract : public ContractTest<Backend> {};
TYPED_TEST_SUITE_P(OutboxContract);

TYPED_TEST_P(OutboxContract, KeepsEveryFieldAndTheOrder) {
  Notification full;
  full.chat = ChatId{-1001234567890LL};
  full.kind = NotificationKind::kWinnerDrawn;
  full.lottery = this->add_lottery();
  full.lottery_title = "Новогодний <розыгрыш>";
  full.place = 3;
  full.prize = "iPhone 15";
  full.account = number("11-22-33-44-55-66-77");
  full.deadline = kT0 + std::chrono::hours{24};
  full.count = 5;
  full.detail = "3, 4";
  full.created_at = kT0;
  Notification reply;
  reply.chat = ChatId{77};
  reply.kind = NotificationKind::kReplyEdit;
  reply.text = "<b>Готово</b>\nвторая строка";
  reply.markup = "inline:✅ Да|yes";
  reply.reference = 4242;
  reply.created_at = kT0;
  const auto ids = this->committed([&](Transaction& transaction) {
    return std::pair{transaction.outbox().enqueue(full), transaction.outbox().enqueue(reply)};
  });
  const NotificationId first = ids.first;
  full.id = ids.first;
  reply.id = ids.second;
  this->read([&](Transaction& transaction) {
    // The reply first (replies go before notifications), then the winner's message.
    EXPECT_EQ(transaction.outbox().pending(10, kT0, "a", {}),
              (std::vector<Notification>{reply, full}));
    EXPECT_EQ(transaction.outbox().pending(1, kT0, "a", {}), (std::vector<Notification>{reply}));
    // A chat the sender may not write to yet is left out, and does not use up the limit.
    const std::vector<ChatId> waiting{reply.chat, ChatId{12345}};
    EXPECT_EQ(transaction.outbox().pending(1, kT0, "a", waiting),
              (std::vector<Notification>{full}));
  });
  this->committed([&](Transaction& transaction) {
    transaction.outbox().mark_sent(first, kT0, std::int64_t{555});
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().pending(10, kT0, "a", {}), (std::vector<Notification>{reply}));
  });
}

// The results post of a lottery to the club's group, as the draw queues it.
inline Notification results_post(LotteryId lottery) {
  Notification results;
  results.chat = ChatId{-100};
  results.kind = NotificationKind::kResultsPublished;
  results.lottery = lottery;
  results.created_at = kT0;
  return results;
}

TYPED_TEST_P(OutboxContract, PostponesFailsAndRemembersSentMessages) {
  const LotteryId lottery = this->add_lottery();
  const Notification results = results_post(lottery);
  Notification blocked = results;
  blocked.kind = NotificationKind::kWinnerDrawn;
  blocked.chat = ChatId{5};
  const auto ids = this->committed([&](Transaction& transaction) {
    return std::pair{transaction.outbox().enqueue(results), transaction.outbox().enqueue(blocked)};
  });
  this->committed([&](Transaction& transaction) {
    transaction.outbox().postpone(ids.first, kT0 + std::chrono::seconds{30});
    transaction.outbox().mark_failed(ids.second, kT0, "403: blocked by the user");
  });
  this->read([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().pending(10, kT0 + std::chrono::seconds{29}, "a", {}).empty());
    const auto due = transaction.outbox().pending(10, kT0 + std::chrono::seconds{30}, "a", {});
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].id, ids.first);
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(transaction.outbox().sent_message(lottery, NotificationKind::kResultsPublished),
              std::nullopt);
  });
  this->committed([&](Transaction& transaction) {
    transaction.outbox().mark_sent(ids.first, kT0 + std::chrono::minutes{1}, std::int64_t{9001});
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().sent_message(lottery, NotificationKind::kResultsPublished),
              9001);
    EXPECT_EQ(transaction.outbox().sent_message(lottery, NotificationKind::kResultsUpdated),
              std::nullopt);
    EXPECT_TRUE(transaction.outbox().pending(10, kT0 + std::chrono::hours{1}, "a", {}).empty());
    // One of each kind: the results post sent, the winner's message given up.
    EXPECT_EQ(transaction.outbox().progress(lottery, NotificationKind::kResultsPublished),
              (DeliveryProgress{1, 1, 0}));
    EXPECT_EQ(transaction.outbox().progress(lottery, NotificationKind::kWinnerDrawn),
              (DeliveryProgress{1, 0, 1}));
    EXPECT_EQ(transaction.outbox().progress(lottery, NotificationKind::kClaimReminder),
              (DeliveryProgress{0, 0, 0}));
  });
}

TYPED_TEST_P(OutboxContract, KeepsThePartsOfALongMessageAlreadySent) {
  const LotteryId lottery = this->add_lottery();
  const NotificationId id = this->committed([&](Transaction& transaction) {
    return transaction.outbox().enqueue(results_post(lottery));
  });
  this->committed([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().lease(id, kT0, "a", kT0 + kLease));
    transaction.outbox().mark_parts_sent(id, 2, std::int64_t{7001}, -1234567890123);
    transaction.outbox().postpone(id, kT0 + std::chrono::seconds{1});
  });
  this->read([&](Transaction& transaction) {
    const auto due = transaction.outbox().pending(10, kT0 + std::chrono::seconds{1}, "b", {});
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].parts_sent, 2);
    EXPECT_EQ(due[0].parts_digest, -1234567890123);
    EXPECT_EQ(due[0].attempts, 1);
  });
  // The retry sent the rest: the first part's message is the one on record.
  this->committed([&](Transaction& transaction) {
    transaction.outbox().mark_parts_sent(id, 3, std::nullopt, -1234567890123);
    transaction.outbox().mark_sent(id, kT0 + std::chrono::seconds{2}, std::nullopt);
  });
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().sent_message(lottery, NotificationKind::kResultsPublished),
              7001);
  });
}

TYPED_TEST_P(OutboxContract, FindsTheProgressMessagesOfDrawsStillBeingAnnounced) {
  const LotteryId running = this->add_lottery();
  const LotteryId finished = this->add_lottery();
  const LotteryId unposted = this->add_lottery();
  this->committed([&](Transaction& transaction) {
    std::int64_t message_id = 500;
    for (const LotteryId lottery : {running, finished, unposted}) {
      Notification post = results_post(lottery);
      post.chat = ChatId{9000};
      post.kind = NotificationKind::kDrawProgress;
      const NotificationId posted = transaction.outbox().enqueue(post);
      if (lottery != unposted) transaction.outbox().mark_sent(posted, kT0, ++message_id);
      for (int winner = 1; winner <= 2; ++winner) {
        Notification told = results_post(lottery);
        told.chat = ChatId{winner};
        told.kind = NotificationKind::kWinnerDrawn;
        const NotificationId id = transaction.outbox().enqueue(told);
        if (lottery == finished && winner == 1) transaction.outbox().mark_sent(id, kT0, 1);
        if (lottery == finished && winner == 2) transaction.outbox().mark_failed(id, kT0, "403");
        if (lottery != finished && winner == 1) transaction.outbox().mark_sent(id, kT0, 2);
      }
    }
  });
  this->read([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox()
                    .unfinished_progress_posts(kT0 + std::chrono::seconds{1})
                    .empty());  // posted before `since`
    const auto posts = transaction.outbox().unfinished_progress_posts(kT0);
    ASSERT_EQ(posts.size(), 1U);
    EXPECT_EQ(posts[0].notification.lottery, running);
    EXPECT_EQ(posts[0].notification.kind, NotificationKind::kDrawProgress);
    EXPECT_EQ(posts[0].notification.chat, ChatId{9000});
    EXPECT_EQ(posts[0].message_id, 501);
  });
}

TYPED_TEST_P(OutboxContract, RepliesAndAdminMessagesGoBeforeBulkNotifications) {
  const LotteryId lottery = this->add_lottery();
  Notification win;
  win.kind = NotificationKind::kWinnerDrawn;
  win.lottery = lottery;
  win.created_at = kT0;
  Notification reply;
  reply.kind = NotificationKind::kReply;
  reply.text = "ответ";
  reply.created_at = kT0;
  Notification admin = win;
  admin.kind = NotificationKind::kAdminDrawn;
  const auto ids = this->committed([&](Transaction& transaction) {
    std::vector<NotificationId> stored;
    for (int chat = 1; chat <= 3; ++chat) {
      win.chat = ChatId{chat};
      stored.push_back(transaction.outbox().enqueue(win));
    }
    reply.chat = ChatId{10};
    stored.push_back(transaction.outbox().enqueue(reply));
    admin.chat = ChatId{11};
    stored.push_back(transaction.outbox().enqueue(admin));
    reply.chat = ChatId{1};  // behind chat 1's win: a chat keeps its order
    stored.push_back(transaction.outbox().enqueue(reply));
    return stored;
  });
  this->read([&](Transaction& transaction) {
    std::vector<NotificationId> due;
    for (const auto& item : transaction.outbox().pending(4, kT0, "a", {})) due.push_back(item.id);
    EXPECT_EQ(due, (std::vector<NotificationId>{ids[3], ids[4], ids[0], ids[1]}));
  });
}

// A chat that cannot be written to: its queued replies go, its other messages stay.
TYPED_TEST_P(OutboxContract, GivesUpTheQueuedRepliesOfAnUnreachableChat) {
  Notification reply;
  reply.kind = NotificationKind::kReply;
  reply.text = "ответ";
  reply.created_at = kT0;
  Notification win;
  win.kind = NotificationKind::kWinnerDrawn;
  win.created_at = kT0;
  const auto ids = this->committed([&](Transaction& transaction) {
    std::vector<NotificationId> stored;
    reply.chat = ChatId{1};
    stored.push_back(transaction.outbox().enqueue(reply));
    stored.push_back(transaction.outbox().enqueue(reply));
    win.chat = ChatId{1};
    stored.push_back(transaction.outbox().enqueue(win));
    reply.kind = NotificationKind::kReplyEdit;
    stored.push_back(transaction.outbox().enqueue(reply));
    reply.kind = NotificationKind::kReply;
    reply.chat = ChatId{2};
    stored.push_back(transaction.outbox().enqueue(reply));
    return stored;
  });
  this->committed([&](Transaction& transaction) {
    transaction.outbox().mark_sent(ids[0], kT0, std::nullopt);
    EXPECT_EQ(transaction.outbox().fail_replies(ChatId{1}, kT0, "403: blocked"), 2U);
    EXPECT_EQ(transaction.outbox().fail_replies(ChatId{1}, kT0, "403: blocked"), 0U);
    return 0;
  });
  this->read([&](Transaction& transaction) {
    std::vector<NotificationId> due;
    for (const auto& item : transaction.outbox().pending(10, kT0, "a", {})) due.push_back(item.id);
    EXPECT_EQ(due, (std::vector<NotificationId>{ids[4], ids[2]}));
  });
}

// A reply leased by a sender of another instance is that sender's to give up: it is
// sending it now and will meet the same refusal.
TYPED_TEST_P(OutboxContract, LeavesALeasedReplyToItsSender) {
  Notification reply;
  reply.kind = NotificationKind::kReply;
  reply.chat = ChatId{1};
  reply.created_at = kT0;
  const auto ids = this->committed([&](Transaction& transaction) {
    return std::vector<NotificationId>{transaction.outbox().enqueue(reply),
                                       transaction.outbox().enqueue(reply)};
  });
  ASSERT_TRUE(this->committed([&](Transaction& transaction) {
    return transaction.outbox().lease(ids[0], kT0, "b", kT0 + std::chrono::seconds{30});
  }));
  this->committed([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().fail_replies(ChatId{1}, kT0, "403: blocked"), 1U);
    return 0;
  });
  this->committed([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().fail_replies(ChatId{1}, kT0 + std::chrono::seconds{30},
                                                "403: blocked"),
              1U);
    return 0;
  });
}

TYPED_TEST_P(OutboxContract, RemembersWhichChatsTheAdminsWereWarnedAbout) {
  Notification warning;
  warning.kind = NotificationKind::kAdminUndeliverable;
  warning.chat = ChatId{9000};
  warning.count = 42;  // the chat that could not be written to
  warning.created_at = kT0;
  const LotteryId lottery = this->add_lottery();
  const AccountId account = this->add_account("11-22-33-44-55-66-77");
  const std::optional<WinnerId> winner = this->add_winner(
      this->make_winner(lottery, account, "11-22-33-44-55-66-77", std::nullopt, 1));
  this->committed([&](Transaction& transaction) {
    (void)transaction.outbox().enqueue(warning);
    Notification about_a_win = warning;
    about_a_win.count = 44;
    about_a_win.winner = winner;
    (void)transaction.outbox().enqueue(about_a_win);
    Notification other = warning;
    other.kind = NotificationKind::kAdminDrawn;
    other.count = 43;
    (void)transaction.outbox().enqueue(other);
    return 0;
  });
  this->read([&](Transaction& transaction) {
    Outbox& outbox = transaction.outbox();
    const auto hour_before = kT0 - std::chrono::hours{1};
    EXPECT_TRUE(outbox.warned_about(ChatId{42}, std::nullopt, hour_before));
    EXPECT_TRUE(outbox.warned_about(ChatId{42}, std::nullopt, kT0));
    EXPECT_FALSE(outbox.warned_about(ChatId{42}, std::nullopt, kT0 + std::chrono::seconds{1}));
    EXPECT_FALSE(outbox.warned_about(ChatId{42}, winner, hour_before)) << "another subject";
    EXPECT_TRUE(outbox.warned_about(ChatId{44}, winner, hour_before));
    EXPECT_FALSE(outbox.warned_about(ChatId{44}, std::nullopt, hour_before));
    EXPECT_FALSE(outbox.warned_about(ChatId{43}, std::nullopt, hour_before));
    EXPECT_FALSE(outbox.warned_about(ChatId{9000}, std::nullopt, hour_before));
  });
}

TYPED_TEST_P(OutboxContract, RemembersWhichChatsWereSentALotterysList) {
  const LotteryId lottery = this->add_lottery();
  const LotteryId other_lottery = this->add_lottery();
  Notification list;
  list.kind = NotificationKind::kEntriesList;
  list.chat = ChatId{7};
  list.lottery = lottery;
  list.created_at = kT0;
  this->committed([&](Transaction& transaction) { return transaction.outbox().enqueue(list); });
  this->read([&](Transaction& transaction) {
    Outbox& outbox = transaction.outbox();
    const auto kind = NotificationKind::kEntriesList;
    EXPECT_TRUE(outbox.queued_about(ChatId{7}, kind, lottery, kT0 - std::chrono::hours{1}));
    EXPECT_TRUE(outbox.queued_about(ChatId{7}, kind, lottery, kT0));
    EXPECT_FALSE(outbox.queued_about(ChatId{7}, kind, lottery, kT0 + std::chrono::seconds{1}));
    EXPECT_FALSE(outbox.queued_about(ChatId{8}, kind, lottery, kT0)) << "another chat";
    EXPECT_FALSE(outbox.queued_about(ChatId{7}, kind, other_lottery, kT0)) << "another lottery";
    EXPECT_FALSE(outbox.queued_about(ChatId{7}, NotificationKind::kWinnersExport, lottery, kT0));
  });
}

TYPED_TEST_P(OutboxContract, AChatsMessagesAreDueOneAfterAnother) {
  Notification first;
  first.chat = ChatId{5};
  first.kind = NotificationKind::kReply;
  first.text = "1";
  first.created_at = kT0;
  Notification second = first;
  second.text = "2";
  Notification other = first;
  other.chat = ChatId{6};
  const auto ids = this->committed([&](Transaction& transaction) {
    return std::tuple{transaction.outbox().enqueue(first), transaction.outbox().enqueue(second),
                      transaction.outbox().enqueue(other)};
  });
  const auto due_ids = [&](Instant now) {
    std::vector<NotificationId> due;
    this->read([&](Transaction& transaction) {
      for (const auto& item : transaction.outbox().pending(10, now, "a", {}))
        due.push_back(item.id);
    });
    return due;
  };
  EXPECT_EQ(due_ids(kT0), (std::vector{std::get<0>(ids), std::get<2>(ids)}));
  // A postponed first message holds its chat back, so the order never inverts.
  this->committed([&](Transaction& transaction) {
    transaction.outbox().postpone(std::get<0>(ids), kT0 + std::chrono::seconds{5});
  });
  EXPECT_EQ(due_ids(kT0), (std::vector{std::get<2>(ids)}));
  this->committed([&](Transaction& transaction) {
    EXPECT_FALSE(transaction.outbox().lease(std::get<1>(ids), kT0, "a", kT0 + kLease));
    transaction.outbox().mark_failed(std::get<0>(ids), kT0, "400: bad");
  });
  EXPECT_EQ(due_ids(kT0), (std::vector{std::get<1>(ids), std::get<2>(ids)}));
}

TYPED_TEST_P(OutboxContract, ALeaseKeepsAMessageFromOtherSendersUntilItEnds) {
  // An instance name is written into PostgreSQL's statement: a quote must stay a quote.
  const std::string holder = "o'neil:a";
  Notification message;
  message.chat = ChatId{5};
  message.kind = NotificationKind::kReply;
  message.created_at = kT0;
  const NotificationId id = this->committed(
      [&](Transaction& transaction) { return transaction.outbox().enqueue(message); });
  this->committed([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().lease(id, kT0, holder, kT0 + kLease));
    EXPECT_FALSE(transaction.outbox().lease(id, kT0, "b", kT0 + kLease));
  });
  this->read([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().pending(10, kT0, "b", {}).empty());
    EXPECT_EQ(transaction.outbox().pending(10, kT0, holder, {}).size(),
              1U);  // its own, after a restart
    EXPECT_EQ(transaction.outbox().pending(10, kT0 + kLease, "b", {}).size(), 1U);
  });
  // Restarted, "a" gives back what it held; "b" may take it at once.
  this->committed([&](Transaction& transaction) { transaction.outbox().release_leases(holder); });
  this->committed([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().lease(id, kT0, "b", kT0 + kLease));
    transaction.outbox().mark_sent(id, kT0, std::nullopt);
  });
  this->committed([&](Transaction& transaction) {
    EXPECT_FALSE(transaction.outbox().lease(id, kT0 + kLease, holder, kT0 + 2 * kLease));
  });
  this->read([&](Transaction& transaction) {
    EXPECT_TRUE(transaction.outbox().pending(10, kT0 + kLease, holder, {}).empty());
  });
}

// A sender leases its whole round in one step: only what is due for it, as lease() would.
TYPED_TEST_P(OutboxContract, LeasesARoundInOneStepOnlyWhatIsDue) {
  const auto enqueue = [&](std::int64_t chat) {
    Notification message;
    message.chat = ChatId{chat};
    message.kind = NotificationKind::kReply;
    message.created_at = kT0;
    return this->committed(
        [&](Transaction& transaction) { return transaction.outbox().enqueue(message); });
  };
  const NotificationId first = enqueue(5);
  const NotificationId second_of_chat = enqueue(5);  // not due: chat 5's first goes first
  const NotificationId other = enqueue(6);
  const NotificationId sent = enqueue(7);
  const NotificationId taken = enqueue(8);
  const NotificationId postponed = enqueue(9);
  const NotificationId own = enqueue(10);
  const NotificationId lapsed = enqueue(11);
  this->committed([&](Transaction& transaction) {
    transaction.outbox().mark_sent(sent, kT0, 1);
    EXPECT_TRUE(transaction.outbox().lease(taken, kT0, "b", kT0 + kLease));
    transaction.outbox().postpone(postponed, kT0 + kLease);
    EXPECT_TRUE(transaction.outbox().lease(own, kT0, "o'neil:a", kT0 + kLease));
    EXPECT_TRUE(transaction.outbox().lease(lapsed, kT0 - 2 * kLease, "b", kT0 - kLease));
  });
  const std::vector<NotificationId> asked{first, second_of_chat, other, sent, taken, postponed,
                                          own,   lapsed,         first};  // twice
  auto leased = this->committed([&](Transaction& transaction) {
    return transaction.outbox().lease_all(asked, kT0, "o'neil:a", kT0 + kLease);
  });
  std::sort(leased.begin(), leased.end());
  EXPECT_EQ(leased, (std::vector<NotificationId>{first, other, own, lapsed}));
  this->read([&](Transaction& transaction) {
    EXPECT_EQ(transaction.outbox().pending(10, kT0, "b", {}).size(), 1U);  // b's own: 8
    EXPECT_EQ(transaction.outbox().lease_all(asked, kT0, "b", kT0 + kLease),
              std::vector<NotificationId>{taken});
  });
}

REGISTER_TYPED_TEST_SUITE_P(
    OutboxContract, LeasesARoundInOneStepOnlyWhatIsDue, KeepsEveryFieldAndTheOrder,
    PostponesFailsAndRemembersSentMessages, KeepsThePartsOfALongMessageAlreadySent,
    FindsTheProgressMessagesOfDrawsStillBeingAnnounced,
    RepliesAndAdminMessagesGoBeforeBulkNotifications, AChatsMessagesAreDueOneAfterAnother,
    ALeaseKeepsAMessageFromOtherSendersUntilItEnds, GivesUpTheQueuedRepliesOfAnUnreachableChat,
    LeavesALeasedReplyToItsSender, RemembersWhichChatsTheAdminsWereWarnedAbout,
    RemembersWhichChatsWereSentALotterysList);

}  // namespace lottery::contract
