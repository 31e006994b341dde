// The Telegram adapter against our fake Bot API server on loopback.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "fake_telegram.hpp"
#include "fakes/fake_clock.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/system/system_clock.hpp"
#include "lottery/telegram/api_client.hpp"
#include "lottery/telegram/long_poller.hpp"
#include "lottery/telegram/sender.hpp"
#include "lottery/telegram/webhook_server.hpp"

namespace lottery::telegram {
namespace {

using testing::FakeTelegram;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kToken = "123456789:AAH-test_token_for_the_fake_server_only";
constexpr std::int64_t kAdmin = 9000;

class TelegramTest : public ::testing::Test {
 protected:
  TelegramTest() {
    settings_.admins = {TelegramUserId{kAdmin}};
    chat_ = std::make_unique<chat::ChatBot>(deps(), store_,
                                            chat::ChatSettings{"club_lottery_bot", "@club_admin"});
  }
  Dependencies deps() { return Dependencies{store_, clock_, random_, draw_randomness_, settings_}; }
  ApiEndpoint endpoint() const { return ApiEndpoint{telegram_.base_url(), kToken, ""}; }

  // Runs long polling and the sender until the test ends.
  void start_bot(std::size_t workers = 1, SendLimits limits = {}) {
    poller_client_ = std::make_unique<ApiClient>(endpoint());
    sender_client_ = std::make_unique<ApiClient>(endpoint());
    sender_ = std::make_unique<Sender>(*sender_client_, *chat_, deps(), limits, "test",
                                       [this] { return std::make_unique<ApiClient>(endpoint()); });
    sending_ = std::jthread([this](const std::stop_token& stop) { sender_->run(stop); });
    polling_ = std::jthread([this, workers](const std::stop_token& stop) {
      LongPoller poller(
          *poller_client_, *chat_, [this] { sender_->notify(); }, std::chrono::seconds{1}, workers,
          [this] { return std::make_unique<ApiClient>(endpoint()); });
      poller_end_ = poller.run(stop);
    });
  }

  void TearDown() override {
    polling_ = {};
    sending_ = {};
  }

  bool has_message_to(std::int64_t chat, const std::string& fragment) {
    return telegram_.wait_until([&](const FakeTelegram& fake) {
      for (const auto& message : fake.messages_to(chat)) {
        if (message.text.find(fragment) != std::string::npos) return true;
      }
      return false;
    });
  }

  // What `chat` got before a reply queued once it had at least `count` messages: the
  // reply goes out only after everything before it in the chat is recorded sent.
  std::vector<testing::SentMessage> messages_before_next_reply(std::int64_t chat,
                                                               std::size_t count) {
    EXPECT_TRUE(telegram_.wait_until(
        [&](const FakeTelegram& fake) { return fake.messages_to(chat).size() >= count; }));
    Notification reply;
    reply.chat = ChatId{chat};
    reply.kind = NotificationKind::kReply;
    reply.text = "следующее";
    reply.created_at = clock_.now();
    {
      auto transaction = store_.begin();
      (void)transaction->outbox().enqueue(reply);
      transaction->commit();
    }
    sender_->notify();
    EXPECT_TRUE(has_message_to(chat, "следующее"));
    auto got = telegram_.messages_to(chat);
    if (!got.empty()) got.pop_back();
    return got;
  }

  FakeTelegram telegram_;
  testing::MemoryStore store_;
  system::SystemClock clock_;  // the sender paces by real time
  testing::SeededRandom random_{3};
  testing::SeededDrawRandomness draw_randomness_;
  Settings settings_;
  std::unique_ptr<chat::ChatBot> chat_;
  std::unique_ptr<ApiClient> poller_client_;
  std::unique_ptr<ApiClient> sender_client_;
  std::unique_ptr<Sender> sender_;
  std::optional<PollingEnd> poller_end_;
  std::jthread sending_;
  std::jthread polling_;
};

TEST_F(TelegramTest, TheClientCallsMethodsOverOneConnectionWithTheToken) {
  ApiClient client(endpoint());
  const auto me = client.call("getMe", "{}");
  ASSERT_TRUE(me.ok) << me.description;
  EXPECT_EQ(parse_username(me.result), "club_lottery_bot");
  const auto sent = client.call("sendMessage", R"({"chat_id":5,"text":"привет"})");
  ASSERT_TRUE(sent.ok);
  EXPECT_EQ(parse_message_id(sent.result), 1000);
  const auto calls = telegram_.calls();
  ASSERT_EQ(calls.size(), 2U);
  EXPECT_EQ(calls[0].token, kToken);
  EXPECT_EQ(calls[1].method, "sendMessage");
}

TEST_F(TelegramTest, TheClientReportsEnvelopesAndSurvivesDroppedConnections) {
  ApiClient client(endpoint());
  telegram_.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", 3);
  const auto limited = client.call("sendMessage", R"({"chat_id":5,"text":"x"})");
  EXPECT_EQ(limited.error_code, 429);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds{3});
  telegram_.drop_next("sendMessage");
  const auto dropped = client.call("sendMessage", R"({"chat_id":5,"text":"x"})");
  EXPECT_FALSE(dropped.ok);
  EXPECT_EQ(dropped.error_code, 0);
  EXPECT_THAT(dropped.description, Not(HasSubstr(kToken)));
  EXPECT_TRUE(client.call("sendMessage", R"({"chat_id":5,"text":"x"})").ok);
}

TEST_F(TelegramTest, TheClientRefusesAServerItCannotVerify) {
  // The fake speaks plain HTTP: a TLS handshake with it cannot succeed.
  const std::string url = "https" + telegram_.base_url().substr(4);
  ApiClient client(ApiEndpoint{url, kToken, ""});
  const auto response = client.call("getMe", "{}", std::chrono::seconds{5});
  EXPECT_FALSE(response.ok);
  EXPECT_THAT(response.description, Not(HasSubstr(kToken)));
  EXPECT_TRUE(telegram_.calls().empty());
}

TEST_F(TelegramTest, TheClientRefusesAMalformedBaseUrl) {
  EXPECT_THROW(ApiClient(ApiEndpoint{"ftp://example.org", kToken, ""}), std::invalid_argument);
}

TEST_F(TelegramTest, LongPollingHandlesUpdatesAndRepliesGoOut) {
  start_bot();
  const auto update = telegram_.push_message(1, "/start");
  EXPECT_TRUE(has_message_to(1, "введите номер вашей клубной карты"));
  EXPECT_TRUE(telegram_.wait_until(
      [&](const FakeTelegram& fake) { return fake.confirmed_offset() > update; }));
  // Something the bot does not handle is acknowledged all the same.
  const auto edited = telegram_.push_raw(
      R"({"edited_message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"from":{"id":1,"is_bot":false,"first_name":"A"},"text":"x"}})");
  EXPECT_TRUE(telegram_.wait_until(
      [&](const FakeTelegram& fake) { return fake.confirmed_offset() > edited; }));
}

TEST_F(TelegramTest, AnUpdateIsNotAcknowledgedBeforeItsEffectsAreCommitted) {
  store_.set_write_hook([](std::string_view operation) {
    if (operation == "commit")
      throw StorageError(StorageError::Kind::kUnavailable, "database down");
  });
  start_bot();
  const auto update = telegram_.push_message(1, "/start");
  // getUpdates is called again with the same offset while the store fails.
  EXPECT_TRUE(telegram_.wait_until([&](const FakeTelegram& fake) {
    std::size_t polls = 0;
    for (const auto& call : fake.calls()) polls += call.method == "getUpdates" ? 1U : 0U;
    return polls >= 3;
  }));
  EXPECT_LE(telegram_.confirmed_offset(), update);
  store_.set_write_hook(nullptr);
  EXPECT_TRUE(has_message_to(1, "введите номер вашей клубной карты"));
  EXPECT_TRUE(telegram_.wait_until(
      [&](const FakeTelegram& fake) { return fake.confirmed_offset() > update; }));
}

TEST_F(TelegramTest, NetworkErrorsBackOffAndRecover) {
  telegram_.fail_next("getUpdates", 502, "Bad Gateway", std::nullopt, 2);
  telegram_.drop_next("getUpdates");
  start_bot();
  telegram_.push_message(1, "/help");
  EXPECT_TRUE(has_message_to(1, "/my_account"));
}

// Five registration dialogues interleaved in one getUpdates answer, and button presses
// of four chats answered slowly: the chats are handled side by side, each in order.
TEST_F(TelegramTest, WorkersHandleChatsSideBySideAndEachChatInOrder) {
  for (int user = 1; user <= 5; ++user) telegram_.push_message(user, "/register");
  for (int user = 1; user <= 5; ++user) telegram_.push_message(user, std::to_string(3000 + user));
  for (int user = 1; user <= 5; ++user) telegram_.push_message(user, "Пропустить");
  telegram_.delay("answerCallbackQuery", std::chrono::milliseconds{300});
  for (int user = 11; user <= 14; ++user) telegram_.push_button(user, 1, "confirm_win_999");
  start_bot(4);
  for (int user = 1; user <= 5; ++user) {
    EXPECT_TRUE(has_message_to(user, "Ваш код верификации")) << user;
  }
  EXPECT_TRUE(telegram_.wait_until(
      [](const FakeTelegram& fake) { return fake.callback_answers().size() == 4; }));
  EXPECT_GE(telegram_.most_at_once("answerCallbackQuery"), 2);
  // Each update was handled once: one registration per user.
  auto transaction = store_.begin();
  for (int user = 1; user <= 5; ++user) {
    const auto registered = transaction->users().find_by_telegram_id(TelegramUserId{user});
    ASSERT_TRUE(registered) << user;
    EXPECT_TRUE(registered->is_registered);
  }
}

TEST_F(TelegramTest, A409ConflictStopsPolling) {
  telegram_.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request");
  ApiClient client(endpoint());
  LongPoller poller(client, *chat_, {}, std::chrono::seconds{1});
  std::stop_source never;
  EXPECT_EQ(poller.run(never.get_token()), PollingEnd::kConflict);
}

TEST_F(TelegramTest, StoppingAbortsALongPollAtOnce) {
  ApiClient client(endpoint());
  LongPoller poller(client, *chat_, {}, std::chrono::seconds{50});
  std::jthread polling(
      [&](const std::stop_token& stop) { EXPECT_EQ(poller.run(stop), PollingEnd::kStopped); });
  EXPECT_TRUE(telegram_.wait_until([](const FakeTelegram& fake) { return !fake.calls().empty(); }));
  polling.request_stop();
  polling.join();  // returns long before the 50 s poll would have ended
}

// Puts `count` messages for `chats` distinct chats in the outbox.
void queue_replies(testing::MemoryStore& store, int count, int chats, Instant now) {
  auto transaction = store.begin();
  for (int i = 0; i < count; ++i) {
    Notification reply;
    reply.chat = ChatId{1 + i % chats};
    reply.kind = NotificationKind::kReply;
    reply.text = "сообщение " + std::to_string(i);
    reply.created_at = now;
    (void)transaction->outbox().enqueue(reply);
  }
  transaction->commit();
}

TEST_F(TelegramTest, TheSenderWaitsRetryAfterOn429AndThenDelivers) {
  telegram_.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1);
  queue_replies(store_, 1, 1, clock_.now());
  start_bot();
  EXPECT_TRUE(has_message_to(1, "сообщение 0"));
  // The sender works in order: once a later message arrives, the first is recorded.
  queue_replies(store_, 1, 2, clock_.now());
  sender_->notify();
  EXPECT_TRUE(
      has_message_to(1, "сообщение 0") &&
      telegram_.wait_until([](const FakeTelegram& fake) { return fake.messages().size() == 2; }));
  EXPECT_EQ(store_.snapshot().outbox.at(0).attempts, 1);
  EXPECT_TRUE(store_.snapshot().deliveries.begin()->second.sent_at);
}

// Four chats of three messages each, Telegram answering slowly: the chats' messages
// are in flight side by side, each chat's in order.
TEST_F(TelegramTest, TheSenderSendsChatsSideBySideAndEachChatInOrder) {
  telegram_.delay("sendMessage", std::chrono::milliseconds{200});
  queue_replies(store_, 12, 4, clock_.now());
  SendLimits limits;
  limits.messages_per_second = 1000;
  limits.per_chat_interval = std::chrono::milliseconds{0};
  start_bot(1, limits);
  EXPECT_TRUE(
      telegram_.wait_until([](const FakeTelegram& fake) { return fake.messages().size() == 12; }));
  EXPECT_GE(telegram_.most_at_once("sendMessage"), 2);
  for (int chat = 1; chat <= 4; ++chat) {
    const auto messages = telegram_.messages_to(chat);
    ASSERT_EQ(messages.size(), 3U);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      EXPECT_EQ(messages[i].text,
                "сообщение " + std::to_string(chat - 1 + 4 * static_cast<int>(i)));
    }
  }
}

// /export's file goes out with sendDocument as multipart/form-data: the fake reads the
// parts back byte for byte, quotes and commas of a prize included.
TEST_F(TelegramTest, AnExportGoesOutAsADocument) {
  LotteryService lotteries(deps());
  const auto lottery =
      lotteries.create(Requester::system(), "Осень", {{1, "Чайник \"Люкс\", 2 л"}});
  ASSERT_TRUE(lottery);
  {
    auto transaction = store_.begin();
    const auto account = transaction->accounts().insert(
        Account{AccountId{}, AccountNumber::parse("11-22-33-44-55-66-77").value(), std::nullopt,
                true, clock_.now()});
    ASSERT_TRUE(account && transaction->entries().add(lottery->id, *account));
    transaction->commit();
  }
  ASSERT_TRUE(lotteries.draw(Requester::system(), lottery->id));
  {
    auto transaction = store_.begin();
    Notification file;
    file.chat = ChatId{kAdmin};
    file.kind = NotificationKind::kWinnersExport;
    file.lottery = lottery->id;
    file.lottery_title = "Осень";
    file.created_at = clock_.now();
    (void)transaction->outbox().enqueue(file);
    transaction->commit();
  }
  start_bot();
  std::string document;
  ASSERT_TRUE(telegram_.wait_until([&](const FakeTelegram& fake) {
    for (const auto& message : fake.messages_to(kAdmin)) {
      if (message.document_name == "winners-1.csv") {
        document = message.document;
        return true;
      }
    }
    return false;
  }));
  EXPECT_THAT(document, ::testing::HasSubstr(
                            "1,1,\"Чайник \"\"Люкс\"\", 2 л\",11-22-33-44-55-66-77,,pending,"));
  const auto sent = telegram_.messages_to(kAdmin);
  EXPECT_THAT(sent.back().text, ::testing::HasSubstr("Победители розыгрыша #1 «Осень»: 1 строка"));
}

// After /draw of a big lottery the admin's status message counts the winners' messages
// as they go out, and says when all are delivered.
TEST_F(TelegramTest, ADrawsProgressMessageIsEditedAsTheWinnersAreNotified) {
  constexpr int kWinners = 12;
  std::string lines;
  for (int client = 1; client <= kWinners; ++client) {
    const auto card = ClubCard::parse(std::to_string(3000 + client)).value();
    ASSERT_TRUE(RegistrationService(deps()).register_user(
        RegistrationRequest{TelegramUserId{client}, "", "Клиент", card, std::nullopt}));
    lines += card.str() + " 60-00-00-00-00-00-" + std::to_string(10 + client) + "\n";
  }
  ASSERT_TRUE(AccountService(deps()).add_accounts(Requester::system(), lines, std::nullopt));
  std::vector<Prize> prizes;
  for (int place = 1; place <= kWinners; ++place) prizes.push_back({place, "Приз"});
  LotteryService lotteries(deps());
  const auto lottery = lotteries.create(Requester::system(), "Большой", prizes);
  ASSERT_TRUE(lottery && lotteries.enrol_all_active(Requester::system(), lottery->id));
  {
    auto transaction = store_.begin();  // the welcome messages are not what this is about
    for (const auto& due : transaction->outbox().pending(100, clock_.now(), "x", {})) {
      transaction->outbox().mark_sent(due.id, clock_.now(), std::nullopt);
    }
    for (const auto& due : transaction->outbox().pending(100, clock_.now(), "x", {})) {
      transaction->outbox().mark_sent(due.id, clock_.now(), std::nullopt);
    }
    transaction->commit();
  }
  SendLimits slow;
  slow.messages_per_second = 5;  // the winners' messages take a few seconds
  slow.per_chat_interval = std::chrono::milliseconds{200};  // the admin's come first
  start_bot(1, slow);
  telegram_.push_message(kAdmin, "/draw " + std::to_string(lottery->id.value()));
  const std::string done = "Уведомления победителям розыгрыша #1 «Большой»: 12/12 — готово ✅";
  ASSERT_TRUE(telegram_.wait_until(
      [&](const FakeTelegram& fake) {
        for (const auto& message : fake.messages_to(kAdmin)) {
          if (message.text.find(done) != std::string::npos) return true;
        }
        return false;
      },
      std::chrono::seconds{30}));
  std::int64_t status = 0;
  bool counted_part = false;
  for (const auto& message : telegram_.messages_to(kAdmin)) {
    if (message.text.find("Уведомления победителям") == std::string::npos) continue;
    if (!message.edit) {
      status = message.message_id;
      counted_part = message.text.find("/12") != std::string::npos &&
                     message.text.find("12/12") == std::string::npos;
    } else {
      EXPECT_EQ(message.message_id, status);  // the same message, edited
    }
  }
  EXPECT_NE(status, 0);
  EXPECT_TRUE(counted_part);  // it was posted while the messages were still going out
}

// A sender that starts while a draw's winners are still being told (the one that posted
// the progress message died) goes on editing that message to the end.
TEST_F(TelegramTest, ARestartedSenderGoesOnEditingAnUnfinishedProgressMessage) {
  {
    auto transaction = store_.begin();
    Notification post;
    post.chat = ChatId{kAdmin};
    post.kind = NotificationKind::kDrawProgress;
    post.lottery = LotteryId{7};
    post.lottery_title = "Большой";
    post.created_at = clock_.now();
    const NotificationId posted = transaction->outbox().enqueue(post);
    transaction->outbox().mark_sent(posted, clock_.now(), std::int64_t{555});
    for (int winner = 1; winner <= 3; ++winner) {
      Notification told;  // no win on record: renders to nothing, counts as told
      told.chat = ChatId{winner};
      told.kind = NotificationKind::kWinnerDrawn;
      told.lottery = LotteryId{7};
      told.created_at = clock_.now();
      const NotificationId id = transaction->outbox().enqueue(told);
      if (winner == 1) transaction->outbox().mark_sent(id, clock_.now(), std::nullopt);
    }
    transaction->commit();
  }
  start_bot();
  EXPECT_TRUE(telegram_.wait_until(
      [](const FakeTelegram& fake) {
        for (const auto& message : fake.messages_to(kAdmin)) {
          if (message.edit && message.message_id == 555 &&
              message.text.find("«Большой»: 3/3 — готово ✅") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds{10}));
}

// A chat waiting for its interval does not hold back the chats queued after it.
TEST_F(TelegramTest, AChatWaitingForItsIntervalDoesNotHoldBackOthers) {
  {
    auto transaction = store_.begin();
    for (const int chat : {1, 1, 2}) {
      Notification reply;
      reply.chat = ChatId{chat};
      reply.kind = NotificationKind::kReply;
      reply.text = "чат " + std::to_string(chat);
      reply.created_at = clock_.now();
      (void)transaction->outbox().enqueue(reply);
    }
    transaction->commit();
  }
  start_bot();
  EXPECT_TRUE(
      telegram_.wait_until([](const FakeTelegram& fake) { return fake.messages().size() == 3; }));
  const auto messages = telegram_.messages();
  ASSERT_EQ(messages.size(), 3U);
  EXPECT_EQ(messages[0].chat_id, 1);
  EXPECT_EQ(messages[1].chat_id, 2);  // not a second behind chat 1's second message
  EXPECT_EQ(messages[2].chat_id, 1);
}

TEST_F(TelegramTest, TheSenderRetriesServerErrorsAndGivesUpOnBlockedUsers) {
  telegram_.fail_next("sendMessage", 500, "Internal Server Error");
  queue_replies(store_, 1, 1, clock_.now());
  start_bot();
  EXPECT_TRUE(has_message_to(1, "сообщение 0"));

  telegram_.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user");
  queue_replies(store_, 1, 1, clock_.now());
  sender_->notify();
  EXPECT_TRUE(telegram_.wait_until([&](const FakeTelegram&) {
    const auto state = store_.snapshot();
    return !state.audit.empty() && state.audit.back().action == AuditAction::kMessageUndeliverable;
  }));
  const auto state = store_.snapshot();
  int failed = 0;
  for (const auto& [id, delivery] : state.deliveries) failed += delivery.failed_at ? 1 : 0;
  EXPECT_EQ(failed, 1);
  // A plain reply that cannot be delivered is not worth a warning to the admins (it
  // would be queued with the audit record, in the same transaction).
  for (const Notification& queued : state.outbox) {
    EXPECT_NE(queued.kind, NotificationKind::kAdminUndeliverable);
  }
}

// Queues, for chat 1, a notification of about 7,000 characters (two messages of at
// most 4,096), with `parts_sent` parts recorded as sent under `digest`.
void queue_long_message(testing::MemoryStore& store, Instant now, int parts_sent = 0,
                        std::int64_t digest = 0) {
  std::string text;
  for (int line = 0; text.size() < 12000; ++line) text += "строка " + std::to_string(line) + "\n";
  auto transaction = store.begin();
  Notification long_one;
  long_one.chat = ChatId{1};
  long_one.kind = NotificationKind::kAccountAdded;  // rendered with its list of lines
  long_one.count = 100'000;
  long_one.detail = text;
  long_one.created_at = now;
  const NotificationId id = transaction->outbox().enqueue(long_one);
  if (parts_sent > 0) transaction->outbox().mark_parts_sent(id, parts_sent, 77, digest);
  transaction->commit();
}

// A notification too long for one message goes out in parts; when a later part fails,
// the retry sends the rest, not the first part again.
TEST_F(TelegramTest, ARetryOfALongMessageSendsOnlyThePartsNotSentYet) {
  queue_long_message(store_, clock_.now());
  const std::size_t parts = chat_->render(store_.snapshot().outbox.at(0)).size();
  ASSERT_GE(parts, 2U);
  telegram_.fail_next("sendMessage", 500, "Internal Server Error", std::nullopt, 1, 1);
  start_bot();
  const auto got = messages_before_next_reply(1, parts);
  ASSERT_EQ(got.size(), parts) << "a part was sent twice or not at all";
  EXPECT_THAT(got.front().text, HasSubstr("строка 0\n"));
  EXPECT_EQ(store_.snapshot().outbox.at(0).attempts, 1);
  // The first part's message is the one on record.
  EXPECT_EQ(store_.snapshot().deliveries.begin()->second.message_id, got.front().message_id);
}

// Parts recorded for a rendering that no longer matches (results redrawn meanwhile)
// do not count: the message goes out whole.
TEST_F(TelegramTest, AMessageThatReadsDifferentlyOnRetryGoesOutWhole) {
  queue_long_message(store_, clock_.now(), 1, 12345);  // another text's digest
  const std::size_t parts = chat_->render(store_.snapshot().outbox.at(0)).size();
  ASSERT_GE(parts, 2U);
  start_bot();
  const auto got = messages_before_next_reply(1, parts);
  ASSERT_EQ(got.size(), parts);
  EXPECT_THAT(got.front().text, HasSubstr("строка 0\n"));
  EXPECT_EQ(store_.snapshot().deliveries.begin()->second.message_id, got.front().message_id);
}

TEST_F(TelegramTest, TheSenderKeepsUnderTelegramsLimits) {
  telegram_.enforce_limits(30);
  queue_replies(store_, 90, 45, clock_.now());  // two messages to each of 45 chats
  start_bot();
  EXPECT_TRUE(
      telegram_.wait_until([](const FakeTelegram& fake) { return fake.messages().size() == 90; },
                           std::chrono::seconds{30}));
  std::size_t refused = 0;
  for (const auto& call : telegram_.calls()) refused += call.method == "sendMessage" ? 1U : 0U;
  EXPECT_EQ(refused, 90U) << "every sendMessage was accepted the first time: no 429";
}

class WebhookTest : public TelegramTest {};

TEST_F(WebhookTest, TheSecretDecidesAndHealthIsAnswered) {
  EXPECT_EQ(handle_webhook({"GET", "/healthz", "", ""}, "s3cret", *chat_, {}).body, "ok");
  const auto update = telegram_.push_message(1, "/start");
  const std::string body = telegram_.update_json(update);
  for (const std::string wrong : {"", "s3cre", "s3cret!", "S3CRET"}) {
    EXPECT_EQ(handle_webhook({"POST", "/telegram", wrong, body}, "s3cret", *chat_, {}).status, 401)
        << wrong;
  }
  EXPECT_TRUE(store_.snapshot().processed_updates.empty());
  EXPECT_EQ(handle_webhook({"POST", "/telegram", "s3cret", body}, "s3cret", *chat_, {}).status,
            200);
  EXPECT_EQ(store_.snapshot().processed_updates.size(), 1U);
  EXPECT_EQ(handle_webhook({"PUT", "/telegram", "s3cret", body}, "s3cret", *chat_, {}).status, 405);
}

TEST_F(WebhookTest, AButtonIsAnsweredInTheResponseAndFailuresAsk500) {
  const auto press = telegram_.push_button(1, 77, "nonsense");
  const auto answered =
      handle_webhook({"POST", "/", "s", telegram_.update_json(press)}, "s", *chat_, {});
  EXPECT_EQ(answered.status, 200);
  EXPECT_THAT(answered.body, HasSubstr(R"("method":"answerCallbackQuery")"));
  store_.set_write_hook([](std::string_view operation) {
    if (operation == "commit") throw StorageError(StorageError::Kind::kUnavailable, "down");
  });
  const auto message = telegram_.push_message(1, "/start");
  EXPECT_EQ(
      handle_webhook({"POST", "/", "s", telegram_.update_json(message)}, "s", *chat_, {}).status,
      500);
}

TEST_F(WebhookTest, TheServerServesRealRequests) {
  WebhookServerOptions options;
  options.path = "/telegram";
  options.secret = "s3cret";
  options.threads = 2;
  WebhookServer server(options, [&](const WebhookRequest& request) {
    return handle_webhook(request, "s3cret", *chat_, {});
  });
  EXPECT_EQ(FakeTelegram::get(server.port(), "/healthz"), (std::pair<int, std::string>{200, "ok"}));
  const auto update = telegram_.push_message(1, "/start");
  EXPECT_EQ(
      FakeTelegram::post_webhook(server.port(), "/telegram", "wrong", telegram_.update_json(update))
          .first,
      401);
  EXPECT_EQ(FakeTelegram::post_webhook(server.port(), "/telegram", "s3cret",
                                       telegram_.update_json(update))
                .first,
            200);
  EXPECT_EQ(store_.snapshot().processed_updates.size(), 1U);
  server.stop();
}

}  // namespace
}  // namespace lottery::telegram
