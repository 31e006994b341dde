// R-VERIFY-1: the public pages, socket-free (PublicSite) and through the HTTP server on
// loopback: the verifier page, a drawn lottery's draw.json and entry list, and what
// they refuse.

#include "lottery/telegram/public_site.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "fakes/fake_clock.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/chat/chat_bot.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/ports/storage_error.hpp"
#include "mocks/mock_ports.hpp"
#include "raw_socket.hpp"

namespace lottery::telegram {
namespace {

using ::testing::HasSubstr;
constexpr std::int64_t kAdmin = 9000;

class PublicSiteTest : public ::testing::Test {
 protected:
  static Settings admin_settings() {
    Settings settings;
    settings.admins = {TelegramUserId{kAdmin}};
    return settings;
  }

  void admin_says(const std::string& text) {
    const chat::IncomingMessage message{private_chat_of(TelegramUserId{kAdmin}),
                                        true,
                                        chat::ChatUser{TelegramUserId{kAdmin}, "admin", "Админ"},
                                        next_update_,
                                        text,
                                        {}};
    ASSERT_TRUE(bot_.handle(next_update_++, message));
  }

  // A two-place lottery of three accounts, drawn.
  void draw_lottery() {
    admin_says("/add_accounts");
    admin_says("11-22-33-44-55-66-77\n10-00-00-00-00-00-01\n99-88-77-66-55-44-33");
    const chat::ButtonPress ownerless{
        "query", chat::ChatUser{TelegramUserId{kAdmin}, "admin", "Админ"},
        private_chat_of(TelegramUserId{kAdmin}), 5, "add_accounts:none"};
    ASSERT_TRUE(bot_.handle(next_update_++, ownerless));
    admin_says("/new_lottery Осень");
    admin_says("1 Чайник\n2 Кружка");
    admin_says("/enroll 1 all");
    admin_says("/draw 1 2026-11-26 Русское лото: 17 42 5");
  }

  boost::json::object draw_json() {
    const auto answer = site_.get("/lotteries/1/draw.json");
    EXPECT_EQ(answer.status, 200);
    return boost::json::parse(*answer.shared_body).as_object();
  }

  testing::MemoryStore store_;
  testing::FakeClock clock_;
  testing::SeededRandom random_{42};
  testing::SeededDrawRandomness draw_randomness_;
  Settings settings_ = admin_settings();
  chat::ChatBot bot_{Dependencies{store_, clock_, random_, draw_randomness_, settings_}, store_,
                     chat::ChatSettings{"club_lottery_bot", "@club_admin"}};
  PublicSite site_{store_, draw_randomness_, "<html>verifier</html>"};
  std::int64_t next_update_{1};
};

TEST_F(PublicSiteTest, ServesTheVerifierPage) {
  const auto page = site_.get("/verify?lottery=1");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(*page.shared_body, "<html>verifier</html>");
}

TEST_F(PublicSiteTest, PublishesADrawnLotteryAsTheResultsPostSaysIt) {
  draw_lottery();
  const auto json = draw_json();
  EXPECT_EQ(json.at("lottery").as_int64(), 1);
  EXPECT_EQ(json.at("public_value").as_string(), "2026-11-26 Русское лото: 17 42 5");
  EXPECT_EQ(json.at("entry_count").as_int64(), 3);
  EXPECT_EQ(json.at("entries_url").as_string(), "entries.csv");
  ASSERT_EQ(json.at("winners").as_array().size(), 2U);
  const auto csv = site_.get("/lotteries/1/entries.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(*csv.shared_body,
            "ordinal,account_number\n0,11-22-33-44-55-66-77\n1,10-00-00-00-00-00-01\n"
            "2,99-88-77-66-55-44-33\n");

  // What the site publishes verifies with the core's own check.
  PublishedDraw published;
  published.lottery = LotteryId{1};
  const auto seed = json.at("seed").as_string();
  for (std::size_t index = 0; index < published.seed.size(); ++index) {
    published.seed[index] =
        static_cast<std::uint8_t>(std::stoi(std::string(seed.subview(index * 2, 2)), nullptr, 16));
  }
  published.public_value = std::string(json.at("public_value").as_string());
  for (const char* number :
       {"11-22-33-44-55-66-77", "10-00-00-00-00-00-01", "99-88-77-66-55-44-33"}) {
    published.entries.push_back(*AccountNumber::parse(number));
  }
  for (const auto& winner : json.at("winners").as_array()) {
    published.winners.push_back(static_cast<std::uint64_t>(winner.at("ordinal").as_int64()));
    EXPECT_EQ(winner.at("account").as_string(),
              published.entries.at(published.winners.back()).str());
  }
  const DrawCheck check = verify_draw(draw_randomness_, published);
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(to_hex(check.commitment), json.at("commitment").as_string());
  EXPECT_EQ(to_hex(check.entries_hash), json.at("entries_hash").as_string());
}

TEST_F(PublicSiteTest, ARedrawIsPublishedAtOnceThoughTheListIsKept) {
  draw_lottery();
  const auto before = draw_json();
  const auto list_before = site_.get("/lotteries/1/entries.csv").shared_body;
  clock_.advance(std::chrono::hours{25});
  admin_says("/redraw 1");
  const auto after = draw_json();
  EXPECT_EQ(after.at("winners").as_array().size(), 3U);
  EXPECT_EQ(before.at("seed"), after.at("seed"));
  EXPECT_EQ(*site_.get("/lotteries/1/entries.csv").shared_body, *list_before);
}

TEST_F(PublicSiteTest, AnOpenLotteryShowsItsCommitmentButNoSeedNorList) {
  admin_says("/new_lottery Зима");
  admin_says("1 Санки");
  const auto json = draw_json();
  EXPECT_TRUE(json.at("seed").is_null());
  EXPECT_EQ(json.at("commitment").as_string().size(), 64U);
  EXPECT_FALSE(json.contains("winners"));
  EXPECT_EQ(site_.get("/lotteries/1/entries.csv").status, 404);
}

TEST_F(PublicSiteTest, RefusesWhatItDoesNotServe) {
  for (const char* path :
       {"/lotteries/2/draw.json", "/lotteries/0/draw.json", "/lotteries/01/draw.json",
        "/lotteries/1", "/lotteries/1/", "/lotteries/x/draw.json", "/lotteries/1/../../etc/passwd",
        "/lotteries/99999999999999999999/draw.json", "/lotteries/1/draw.json/x", "/verify.html"}) {
    EXPECT_EQ(site_.get(path).status, 404) << path;
  }
}

// draw.json never reads the entry list (its winners' ordinals are looked up one by
// one), and the list is read from the store once, then served from memory.
TEST_F(PublicSiteTest, ReadsTheListOnceAndNeverForDrawJson) {
  draw_lottery();
  int list_reads = 0;
  ::testing::NiceMock<testing::MockTransactionManager> counting;
  ON_CALL(counting, begin_read_only()).WillByDefault([&] {
    auto transaction =
        std::make_unique<::testing::NiceMock<testing::MockTransaction>>(store_.begin());
    ON_CALL(*transaction, entries())
        .WillByDefault([&, real = transaction.get()]() -> EntryRepository& {
          ++list_reads;  // every use of the entries: count, ordinal lookups, ranges
          return real->real().entries();
        });
    return transaction;
  });
  PublicSite site(counting, draw_randomness_, "page");
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(site.get("/lotteries/1/draw.json").status, 200);
  }
  const int for_draw_json = list_reads;
  EXPECT_LE(for_draw_json, 5 * (1 + 2)) << "a count and one lookup per winner, each time";
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(site.get("/lotteries/1/entries.csv").status, 200);
  }
  EXPECT_LE(list_reads - for_draw_json, 3) << "the list was read more than once";
}

TEST_F(PublicSiteTest, AFailureInsideIsAnAnswerNotADroppedConnection) {
  ::testing::NiceMock<testing::MockTransactionManager> failing;
  ON_CALL(failing, begin_read_only()).WillByDefault([]() -> std::unique_ptr<Transaction> {
    throw std::bad_alloc();
  });
  PublicSite site(failing, draw_randomness_, "page");
  EXPECT_EQ(site.get("/lotteries/1/draw.json").status, 500);
  ON_CALL(failing, begin_read_only()).WillByDefault([]() -> std::unique_ptr<Transaction> {
    throw StorageError(StorageError::Kind::kUnavailable, "down");
  });
  const auto unavailable = site.get("/lotteries/1/entries.csv");
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_THAT(unavailable.headers, ::testing::Contains(std::pair<std::string, std::string>(
                                       "Cache-Control", "no-store")));
}

TEST(PublicSiteRoutes, OnlyItsOwnPathsGoToTheSite) {
  EXPECT_TRUE(PublicSite::serves("/verify"));
  EXPECT_TRUE(PublicSite::serves("/lotteries/1/draw.json"));
  EXPECT_FALSE(PublicSite::serves("/healthz"));
  EXPECT_FALSE(PublicSite::serves("/telegram"));
}

// Through the server: a GET reaches the site on the handling pool; anything else on
// its paths is refused before a body is read; a large file goes out whole.
TEST(PublicSiteServer, RoutesGetsToTheSiteAndRefusesTheRest) {
  WebhookServerOptions options;
  const auto large = std::make_shared<const std::string>(3U << 20, 'x');
  options.site = [large](std::string_view target) {
    WebhookResponse answer;
    answer.content_type = "text/csv";
    if (target.starts_with("/lotteries/")) {
      answer.shared_body = large;
    } else {
      answer.body = "page";
    }
    return answer;
  };
  WebhookServer server(std::move(options), [](const WebhookRequest&) { return WebhookResponse{}; });
  const auto status_of = [&](const std::string& request) {
    testing::RawConnection connection(server.port());
    EXPECT_TRUE(connection.send(request));
    return connection.read_status(std::chrono::seconds{10});
  };
  EXPECT_EQ(status_of("GET /verify HTTP/1.1\r\nHost: a\r\n\r\n"), 200);
  EXPECT_EQ(status_of("POST /verify HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab"), 405);
  EXPECT_EQ(status_of("GET /verify HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab"), 400);
  EXPECT_EQ(status_of("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"), 200);
  EXPECT_EQ(status_of("GET /other HTTP/1.1\r\nHost: a\r\n\r\n"), 404);

  // The whole large file arrives, with its length.
  testing::RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /lotteries/1/entries.csv HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(connection.read_status(std::chrono::seconds{10}), 200);
}

TEST(PublicSiteServer, WithoutASiteItsPathsAreNotFound) {
  WebhookServer server(WebhookServerOptions{},
                       [](const WebhookRequest&) { return WebhookResponse{}; });
  testing::RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /verify HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(connection.read_status(std::chrono::seconds{10}), 404);
}

// Readers that ask for a large file and never read it: they neither lock the webhook
// and /healthz out (their connections stay evictable) nor stay for ever (each piece
// of the answer has its own deadline).
TEST(PublicSiteServer, StalledDownloadsNeitherCrowdOutTheWebhookNorStay) {
  WebhookServerOptions options;
  options.max_connections = 8;
  const auto large = std::make_shared<const std::string>(64U << 20, 'x');
  options.site = [large](std::string_view) {
    WebhookResponse answer;
    answer.shared_body = large;
    return answer;
  };
  WebhookServer server(std::move(options), [](const WebhookRequest&) { return WebhookResponse{}; });
  std::vector<testing::RawConnection> stalled;
  for (int index = 0; index < 8; ++index) {
    stalled.emplace_back(server.port());
    ASSERT_TRUE(stalled.back().send("GET /lotteries/1/entries.csv HTTP/1.1\r\nHost: a\r\n\r\n"));
  }
  // The answers are being written (they do not fit in the sockets' buffers).
  const auto wait_for = [&](auto condition, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!condition() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    return condition();
  };
  ASSERT_TRUE(wait_for([&] { return server.connections() == 8; }, std::chrono::seconds{5}));
  testing::RawConnection health(server.port());
  ASSERT_TRUE(health.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(health.read_status(std::chrono::seconds{5}), 200);
  // A piece not taken within the write deadline (10 s) ends the connection.
  EXPECT_TRUE(wait_for([&] { return server.connections() <= 1; }, std::chrono::seconds{30}))
      << server.connections() << " connections still open";
}

}  // namespace
}  // namespace lottery::telegram
