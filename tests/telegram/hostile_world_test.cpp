// The Telegram adapter when the world is hostile or careless: Telegram refusing
// messages in every way it can, blocked users, a revoked token, and clients of the
// webhook server that send what no HTTP client should.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "fake_telegram.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "lottery/system/system_clock.hpp"
#include "lottery/telegram/api_client.hpp"
#include "lottery/telegram/health.hpp"
#include "lottery/telegram/long_poller.hpp"
#include "lottery/telegram/sender.hpp"
#include "lottery/telegram/webhook_server.hpp"
#include "raw_socket.hpp"

namespace lottery::telegram {
namespace {

using testing::FakeTelegram;
using testing::RawConnection;
using namespace std::chrono_literals;

const std::string kToken = "123456789:AAH-test_token_for_the_fake_server_only";
constexpr std::int64_t kAdmin = 9000;
constexpr std::int64_t kSecondAdmin = 9001;

TEST(AnswerMeaning, EveryAnswerOfTheBotApiIsClassified) {
  const auto answer = [](int code, std::string description = {}) {
    ApiResponse response;
    response.error_code = code;
    response.description = std::move(description);
    return response;
  };
  ApiResponse accepted;
  accepted.ok = true;
  EXPECT_EQ(classify_answer(accepted, false), AnswerMeaning::kDelivered);
  EXPECT_EQ(classify_answer(answer(400, "Bad Request: message is not modified"), true),
            AnswerMeaning::kDelivered);
  EXPECT_EQ(classify_answer(answer(400, "Bad Request: message is not modified"), false),
            AnswerMeaning::kRefused);
  for (const int code : {400, 403, 404, 409, 413, 414, 418, 451}) {
    EXPECT_EQ(classify_answer(answer(code), false), AnswerMeaning::kRefused) << code;
  }
  EXPECT_EQ(classify_answer(answer(401, "Unauthorized"), false), AnswerMeaning::kUnauthorized);
  EXPECT_EQ(classify_answer(answer(429), false), AnswerMeaning::kRateLimited);
  for (const int code : {0, 500, 502, 503, 504, 302}) {
    EXPECT_EQ(classify_answer(answer(code), false), AnswerMeaning::kOutage) << code;
  }
}

class HostileWorld : public ::testing::Test {
 protected:
  HostileWorld() {
    settings_.admins = {TelegramUserId{kAdmin}, TelegramUserId{kSecondAdmin}};
    chat_ = std::make_unique<chat::ChatBot>(deps(), store_,
                                            chat::ChatSettings{"club_lottery_bot", "@club_admin"});
  }
  Dependencies deps() { return Dependencies{store_, clock_, random_, draw_randomness_, settings_}; }
  ApiEndpoint endpoint() const { return ApiEndpoint{telegram_.base_url(), kToken, ""}; }

  void start_sender() {
    sender_client_ = std::make_unique<ApiClient>(endpoint());
    sender_ = std::make_unique<Sender>(*sender_client_, *chat_, deps(), SendLimits{}, "test",
                                       [this] { return std::make_unique<ApiClient>(endpoint()); });
    sending_ = std::jthread([this](const std::stop_token& stop) { sender_->run(stop); });
  }
  void TearDown() override { sending_ = {}; }

  void queue_reply(std::int64_t chat, const std::string& text) {
    Notification reply;
    reply.chat = ChatId{chat};
    reply.kind = NotificationKind::kReply;
    reply.text = text;
    reply.created_at = clock_.now();
    auto transaction = store_.begin();
    (void)transaction->outbox().enqueue(reply);
    transaction->commit();
  }

  // Every message in the outbox sent or given up.
  bool all_finished() {
    return telegram_.wait_until([&](const FakeTelegram&) {
      const auto state = store_.snapshot();
      for (const auto& [id, delivery] : state.deliveries) {
        if (!delivery.sent_at && !delivery.failed_at) return false;
      }
      return true;
    });
  }

  std::size_t queued_of_kind(NotificationKind kind) {
    std::size_t count = 0;
    for (const Notification& queued : store_.snapshot().outbox) count += queued.kind == kind;
    return count;
  }

  void register_client(std::int64_t user, const std::string& card) {
    ASSERT_TRUE(RegistrationService(deps()).register_user(RegistrationRequest{
        TelegramUserId{user}, "", "Клиент", ClubCard::parse(card).value(), std::nullopt}));
  }

  // Gives the client of `card` an account and makes it win a lottery of its own: a
  // winner message for the client is queued.
  void win_for(const std::string& card, const std::string& account) {
    ASSERT_TRUE(AccountService(deps()).add_accounts(Requester::system(),
                                                    card + " " + account + "\n", std::nullopt));
    LotteryService lotteries(deps());
    const auto lottery = lotteries.create(Requester::system(), "Розыгрыш", {{1, "Приз"}});
    ASSERT_TRUE(lottery && lotteries.enrol_all_active(Requester::system(), lottery->id));
    ASSERT_TRUE(lotteries.draw(Requester::system(), lottery->id));
  }

  FakeTelegram telegram_;
  testing::MemoryStore store_;
  system::SystemClock clock_;
  testing::SeededRandom random_{5};
  testing::SeededDrawRandomness draw_randomness_;
  Settings settings_;
  std::unique_ptr<chat::ChatBot> chat_;
  std::unique_ptr<ApiClient> sender_client_;
  std::unique_ptr<Sender> sender_;
  std::jthread sending_;
};

// 404, 413 and 400 are about one message: it is given up after one try, and the other
// chats are served meanwhile (they used to pause all sending and retry it forever).
TEST_F(HostileWorld, ARecipientRefusedWithAny4xxIsGivenUpWhileOthersAreServed) {
  telegram_.refuse_chat(1, 404, "Not Found: chat not found");
  telegram_.refuse_chat(2, 413, "Request Entity Too Large");
  telegram_.refuse_chat(3, 400, "Bad Request: chat not found");
  for (int round = 0; round < 2; ++round) {
    for (std::int64_t chat = 1; chat <= 4; ++chat) {
      queue_reply(chat, "ответ " + std::to_string(round));
    }
  }
  start_sender();
  ASSERT_TRUE(all_finished());
  EXPECT_EQ(telegram_.messages_to(4).size(), 2U);
  for (std::int64_t chat = 1; chat <= 3; ++chat) {
    EXPECT_EQ(telegram_.refusals(chat), 2) << "chat " << chat << ": each message tried once";
  }
}

// A client who blocked the bot: the first 403 drops the replies still queued for them,
// and the admins hear only of their wins, once an hour for each, however many messages
// about it fail.
TEST_F(HostileWorld, ABlockedClientCostsOneTryAndTheAdminsOneWarningForTheirWins) {
  telegram_.refuse_chat(1, 403, "Forbidden: bot was blocked by the user");
  register_client(1, "2223");
  for (int i = 0; i < 60; ++i) queue_reply(1, "/help " + std::to_string(i));
  win_for("2223", "11-22-33-44-55-66-77");
  start_sender();
  ASSERT_TRUE(all_finished());
  // One refused reply (the other 59 dropped with it), «account added», the win.
  EXPECT_EQ(telegram_.refusals(1), 3);
  EXPECT_EQ(queued_of_kind(NotificationKind::kAdminUndeliverable), 2U) << "each admin once";
  // Another message about the same win within the hour warns nobody again; another win
  // does.
  {
    const auto queued_before = store_.snapshot().outbox;
    Notification expired = queued_before.back();
    for (const Notification& queued : queued_before) {
      if (queued.kind == NotificationKind::kWinnerDrawn) expired = queued;
    }
    expired.kind = NotificationKind::kWinExpired;
    auto transaction = store_.begin();
    (void)transaction->outbox().enqueue(expired);
    transaction->commit();
  }
  sender_->notify();
  ASSERT_TRUE(all_finished());
  EXPECT_EQ(telegram_.refusals(1), 4);
  EXPECT_EQ(queued_of_kind(NotificationKind::kAdminUndeliverable), 2U);
  win_for("2223", "11-22-33-44-55-66-78");
  sender_->notify();
  ASSERT_TRUE(all_finished());
  EXPECT_EQ(queued_of_kind(NotificationKind::kAdminUndeliverable), 4U) << "no win goes unnoticed";
}

TEST_F(HostileWorld, ARevokedTokenStopsTheSenderAndLeavesTheMessageQueued) {
  telegram_.fail_next("sendMessage", 401, "Unauthorized");
  queue_reply(1, "привет");
  ApiClient client(endpoint());
  Sender sender(client, *chat_, deps(), SendLimits{}, "test");
  std::stop_source never;
  EXPECT_EQ(sender.run(never.get_token()), SenderEnd::kUnauthorized);
  const auto state = store_.snapshot();
  ASSERT_EQ(state.deliveries.size(), 1U);
  EXPECT_FALSE(state.deliveries.begin()->second.failed_at);
  EXPECT_FALSE(state.deliveries.begin()->second.sent_at);
}

TEST_F(HostileWorld, ARevokedTokenStopsPolling) {
  telegram_.fail_next("getUpdates", 401, "Unauthorized");
  ApiClient client(endpoint());
  LongPoller poller(client, *chat_, {}, std::chrono::seconds{1});
  std::stop_source never;
  EXPECT_EQ(poller.run(never.get_token()), PollingEnd::kUnauthorized);
}

TEST(Health, TheDatabaseAndEveryLoopMustBeAlive) {
  HealthMonitor health(std::chrono::seconds{15});
  EXPECT_EQ(health.report().reason, "starting");
  health.started();
  EXPECT_TRUE(health.report().ok);
  auto sender_round = std::chrono::steady_clock::now();
  health.watch(
      "sender", [&] { return sender_round; }, std::chrono::seconds{60});
  EXPECT_TRUE(health.report().ok);
  sender_round -= std::chrono::seconds{61};
  EXPECT_FALSE(health.report().ok);
  EXPECT_THAT(health.report().reason, ::testing::StartsWith("sender: stuck for 6"));
  sender_round = std::chrono::steady_clock::now();
  health.database_checked(false, "connection refused");
  EXPECT_EQ(health.report().reason, "database: unavailable") << "the driver's words are logged";
  health.database_checked(true);
  EXPECT_TRUE(health.report().ok);
}

// The webhook server, attacked from loopback.
class WebhookAttack : public HostileWorld {
 protected:
  void start_server(WebhookServerOptions options = {}) {
    options.path = "/telegram";
    options.secret = "s3cret";
    options.threads = 2;
    options.health = [this] { return healthy_ ? HealthReport{} : HealthReport{false, "down"}; };
    server_ = std::make_unique<WebhookServer>(options, [this](const WebhookRequest& request) {
      return handle_webhook(request, "s3cret", *chat_, {});
    });
  }
  std::string update_request(const std::string& secret, const std::string& target = "/telegram") {
    const std::string body = telegram_.update_json(telegram_.push_message(1, "/start"));
    return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
           (secret.empty() ? "" : "X-Telegram-Bot-Api-Secret-Token: " + secret + "\r\n") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  std::optional<int> status_of(const std::string& request) {
    RawConnection connection(server_->port());
    EXPECT_TRUE(connection.send(request));
    return connection.read_status(5s);
  }

  std::atomic<bool> healthy_{true};
  std::unique_ptr<WebhookServer> server_;
};

TEST_F(WebhookAttack, OnlyTheWebhookPathAndHealthAreServed) {
  start_server();
  EXPECT_EQ(status_of(update_request("s3cret")), 200);
  EXPECT_EQ(status_of(update_request("s3cret", "/other")), 404);
  EXPECT_EQ(status_of(update_request("s3cret", "/telegram/../admin")), 404);
  EXPECT_EQ(status_of("GET /telegram HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
  healthy_ = false;
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 503);
  EXPECT_EQ(store_.snapshot().processed_updates.size(), 1U);
}

// Without the secret nothing but the headers is read: a client that declares a body
// and never sends it gets 401 at once, and the connection is closed.
TEST_F(WebhookAttack, TheSecretIsCheckedBeforeAnyBodyIsRead) {
  start_server();
  RawConnection connection(server_->port());
  ASSERT_TRUE(
      connection.send("POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"));
  EXPECT_EQ(connection.read_status(5s), 401);
  EXPECT_TRUE(connection.closed_by_peer(5s));
  RawConnection chunked(server_->port());
  ASSERT_TRUE(
      chunked.send("POST /telegram HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   "X-Telegram-Bot-Api-Secret-Token: wrong\r\n\r\n"));
  EXPECT_EQ(chunked.read_status(5s), 401);
}

TEST_F(WebhookAttack, MalformedAndOversizedRequestsGetTheirStatus) {
  WebhookServerOptions options;
  options.max_body_bytes = 64 * 1024;
  start_server(options);
  EXPECT_EQ(status_of("NONSENSE\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400);
  const std::string many_headers = [] {
    std::string headers = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 2000; ++i) headers += "X-Header-" + std::to_string(i) + ": value\r\n";
    return headers + "\r\n";
  }();
  EXPECT_EQ(status_of(many_headers), 431);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + std::string(40000, 'a') +
                      "\r\n\r\n"),
            431);
  // With the secret: a body over the cap is refused before it is read.
  EXPECT_EQ(status_of("POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
                      "s3cret\r\nContent-Length: 300000000\r\n\r\n"),
            413);
}

// Beast puts no limit on chunk extensions or trailers: the server's capped buffer does.
TEST_F(WebhookAttack, EndlessTrailersAndChunkExtensionsAreCut) {
  start_server();
  for (const bool trailer : {true, false}) {
    RawConnection connection(server_->port());
    ASSERT_TRUE(
        connection.send("POST /telegram HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        "X-Telegram-Bot-Api-Secret-Token: s3cret\r\n\r\n" +
                        std::string(trailer ? "2\r\n{}\r\n0\r\n" : "2;ext=")));
    std::optional<int> status;
    const std::string flood =
        trailer ? "X-Trailer: " + std::string(1000, 'a') + "\r\n" : std::string(1000, 'e');
    int sent = 0;
    while (sent < 10'000 && !status && connection.send(flood)) {
      if (++sent % 64 == 0) status = connection.read_status(1ms);
    }
    if (!status) status = connection.read_status(5s);
    EXPECT_LT(sent, 10'000) << "10 MB were read";
    EXPECT_EQ(status, 413) << (trailer ? "trailer" : "chunk extension");
  }
}

// More connections than the cap: the longest idle ones are closed for new ones, so a
// delivery always gets in.
TEST_F(WebhookAttack, PastTheConnectionCapTheLongestIdleAreClosed) {
  WebhookServerOptions options;
  options.max_connections = 16;
  start_server(options);
  std::vector<RawConnection> idle;
  for (int i = 0; i < 40; ++i) {
    idle.emplace_back(server_->port());
    ASSERT_TRUE(idle.back().send("GET /hea"));  // never finished
  }
  EXPECT_EQ(status_of(update_request("s3cret")), 200);
  EXPECT_LE(server_->connections(), 17U);
  EXPECT_TRUE(idle.front().closed_by_peer(5s)) << "the longest idle went first";
}

// A client sending its headers a byte at a time is cut at the header deadline.
TEST_F(WebhookAttack, ASlowClientIsCutAtTheHeaderDeadline) {
  WebhookServerOptions options;
  options.header_timeout = 500ms;
  start_server(options);
  RawConnection slow(server_->port());
  ASSERT_TRUE(slow.send("P"));
  const auto started = std::chrono::steady_clock::now();
  for (const char byte : std::string("OST /telegram HTTP/1.1\r\n")) {
    if (!slow.send(std::string(1, byte)) || slow.closed_by_peer(100ms)) break;
  }
  EXPECT_TRUE(slow.closed_by_peer(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// Connections refused on their headers (401) and left open by their clients are closing
// ones: evictable like idle ones, so they cannot fill the cap and keep Telegram out.
TEST_F(WebhookAttack, RefusedConnectionsCannotFillTheCap) {
  WebhookServerOptions options;
  options.max_connections = 8;
  start_server(options);
  std::vector<RawConnection> refused;
  for (int i = 0; i < 16; ++i) {
    refused.emplace_back(server_->port());
    ASSERT_TRUE(
        refused.back().send("POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n"));
    EXPECT_EQ(refused.back().read_status(5s), 401);
  }
  EXPECT_EQ(status_of(update_request("s3cret")), 200);
}

TEST_F(WebhookAttack, ATransferCodingThatIsNotChunkedIsRefused) {
  start_server();
  EXPECT_EQ(status_of("POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
                      "s3cret\r\nTransfer-Encoding: gzip\r\n\r\n{}"),
            400);
  EXPECT_EQ(status_of("POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: "
                      "s3cret\r\nTransfer-Encoding: chunked, identity\r\n\r\n{}"),
            400);
}

// Handling waits on the database; /healthz and new connections never do.
TEST_F(WebhookAttack, HealthIsAnsweredWhileEveryHandlerIsStuck) {
  WebhookServerOptions options;
  options.path = "/telegram";
  options.secret = "s3cret";
  options.threads = 2;
  std::mutex mutex;
  std::condition_variable released;
  bool release = false;
  std::atomic<int> stuck{0};
  server_ = std::make_unique<WebhookServer>(options, [&](const WebhookRequest&) {
    ++stuck;
    std::unique_lock lock(mutex);
    released.wait(lock, [&] { return release; });
    return WebhookResponse{200, "text/plain", ""};
  });
  std::vector<std::jthread> deliveries;
  for (int i = 0; i < 3; ++i) {
    // The fake's updates are made here: it is not made to be pushed from several threads.
    deliveries.emplace_back(
        [this, request = update_request("s3cret")] { EXPECT_EQ(status_of(request), 200); });
  }
  while (stuck.load() < 2) std::this_thread::yield();  // both handling threads are taken
  const auto asked = std::chrono::steady_clock::now();
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
  {
    const std::lock_guard lock(mutex);
    release = true;
  }
  released.notify_all();
}

// No client keeps one connection for ever: after 1,000 requests it is closed.
TEST_F(WebhookAttack, AKeepAliveConnectionServesAThousandRequests) {
  start_server();
  RawConnection connection(server_->port());
  std::string requests;
  for (int i = 0; i < 1001; ++i) requests += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(connection.send(requests));
  int answered = 0;
  while (connection.read_status(5s) == 200) ++answered;
  EXPECT_EQ(answered, 1000);
}

}  // namespace
}  // namespace lottery::telegram
