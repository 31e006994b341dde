#include "config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lottery::bot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

std::map<std::string, std::string> with_token(std::map<std::string, std::string> environment = {}) {
  environment["TELEGRAM_BOT_TOKEN"] = kToken;
  return environment;
}

TEST(Config, DefaultsFollowTheSpec) {
  const auto config = parse_config(with_token(), {});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->api_url, "https://api.telegram.org");
  EXPECT_EQ(config->database_url, "sqlite:lottery.db");
  EXPECT_EQ(config->claim_window, std::chrono::hours{24});
  EXPECT_EQ(config->mode, Mode::kPolling);
  EXPECT_EQ(config->log_level, "info");
  EXPECT_TRUE(config->admin_ids.empty());
  EXPECT_EQ(config->time_zone, "Europe/Moscow");
  EXPECT_EQ(config->sms_gateway_url, "");  // no second factor unless a gateway is set
}

TEST(Config, ReadsEverySettingFromTheEnvironmentOrFlags) {
  const auto config =
      parse_config(with_token({{"ADMIN_IDS", "1, 2,3"},
                               {"ANNOUNCE_CHAT_ID", "-1001234567890"},
                               {"CLAIM_WINDOW", "90m"},
                               {"DATABASE_URL", "sqlite:env.db"}}),
                   {"--database-url", "sqlite:flag.db", "--bot-mode=webhook", "--webhook-url",
                    "https://bot.example/hook", "--webhook-secret", "s3cret_-X", "--listen",
                    "127.0.0.1:9000", "--log-level", "debug", "--admin-contact", "@club_admin"});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->admin_ids, (std::set<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(config->announce_chat_id, -1001234567890);
  EXPECT_EQ(config->claim_window, std::chrono::minutes{90});
  EXPECT_EQ(config->database_url, "sqlite:flag.db");  // the flag wins
  EXPECT_EQ(config->mode, Mode::kWebhook);
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_EQ(config->admin_contact, "@club_admin");
}

TEST(Config, EachBadSettingIsNamedInOneLineWithoutTheToken) {
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases{
      {{}, "TELEGRAM_BOT_TOKEN"},
      {{{"TELEGRAM_BOT_TOKEN", "nonsense"}}, "TELEGRAM_BOT_TOKEN"},
      {with_token({{"TELEGRAM_API_URL", "api.telegram.org"}}), "TELEGRAM_API_URL"},
      {with_token({{"ADMIN_IDS", "1,two"}}), "ADMIN_IDS"},
      {with_token({{"ANNOUNCE_CHAT_ID", "@channel"}}), "ANNOUNCE_CHAT_ID"},
      {with_token({{"CLAIM_WINDOW", "24"}}), "CLAIM_WINDOW"},
      {with_token({{"CLAIM_WINDOW", "0h"}}), "CLAIM_WINDOW"},
      {with_token({{"TIME_ZONE", "Moscow"}}), "TIME_ZONE"},
      {with_token({{"TIME_ZONE", "MSK"}}), "TIME_ZONE"},
      {with_token({{"TIME_ZONE", "../../../etc/passwd"}}), "TIME_ZONE"},
      {with_token({{"BOT_MODE", "push"}}), "BOT_MODE"},
      {with_token({{"BOT_MODE", "webhook"}}), "WEBHOOK_URL"},
      {with_token({{"BOT_MODE", "webhook"}, {"WEBHOOK_URL", "https://x/y"}}), "WEBHOOK_SECRET"},
      {with_token({{"WEBHOOK_SECRET", "no spaces"}}), "WEBHOOK_SECRET"},
      {with_token({{"LISTEN", "8080"}}), "LISTEN"},
      {with_token({{"LOG_LEVEL", "verbose"}}), "LOG_LEVEL"},
      {with_token({{"DATABASE_POOL_SIZE", "0"}}), "DATABASE_POOL_SIZE"},
      {with_token({{"INSTANCE_NAME", "two words"}}), "INSTANCE_NAME"},
      {with_token({{"LISTEN", "nohost:8080"}}), "LISTEN"},
      {with_token({{"LISTEN", "127.0.0.1:http"}}), "LISTEN"},
      {with_token({{"TELEGRAM_API_URL", "https://api.telegram.org/bot1:x/getMe"}}),
       "TELEGRAM_API_URL"},
      {with_token({{"TELEGRAM_API_URL", "https://"}}), "TELEGRAM_API_URL"},
      {with_token({{"TELEGRAM_API_URL", "http://127.0.0.1:99999"}}), "TELEGRAM_API_URL"},
      {with_token({{"BOT_MODE", "webhook"}, {"WEBHOOK_URL", "https:///path"}}), "WEBHOOK_URL"},
      {with_token({{"MAX_CONNECTIONS", "3"}}), "MAX_CONNECTIONS"},
      {with_token({{"LISTEN", "127.0.0.1:0"}}), "LISTEN"},
      {with_token({{"TELEGRAM_API_URL", "http://127.0.0.1:0"}}), "TELEGRAM_API_URL"},
      {with_token({{"BOT_MODE", "webhook"},
                   {"WEBHOOK_URL", "https://bot.example.org/hook#fragment"},
                   {"WEBHOOK_SECRET", "s"}}),
       "WEBHOOK_URL"},
      {with_token({{"SMS_GATEWAY_URL", "https://sms.example/send?to={phone}"}}), "SMS_GATEWAY_URL"},
      {with_token({{"SMS_GATEWAY_URL", "sms.example/{phone}/{text}"}}), "SMS_GATEWAY_URL"},
      {with_token({{"SMS_GATEWAY_URL", "https://sms.example/{phone}/{text}"},
                   {"SMS_GATEWAY_METHOD", "PUT"}}),
       "SMS_GATEWAY_METHOD"},
      {with_token({{"SMS_GATEWAY_URL", "https://sms.example/{phone}/{text}"},
                   {"SMS_GATEWAY_AUTH", "Bearer sms-secret\r\nX: y"}}),
       "SMS_GATEWAY_AUTH"},
      {with_token({{"PUBLIC_URL", "http://bot.example.org"}}), "PUBLIC_URL"},
      {with_token({{"PUBLIC_URL", "bot.example.org"}}), "PUBLIC_URL"},
      {with_token({{"PUBLIC_URL", "https://bot.example.org/x?y=1"}}), "PUBLIC_URL"},
      {with_token({{"PUBLIC_URL", "https://bot.example.org/\r\nx"}}), "PUBLIC_URL"},
      {with_token({{"PUBLIC_URL", "https://bot.example.org/a b"}}), "PUBLIC_URL"},
      {with_token({{"PUBLIC_URL", "https://bot.example.org/\x1e<x>"}}), "PUBLIC_URL"},
      {with_token({{"BOT_MODE", "webhook"},
                   {"WEBHOOK_URL", "https://bot.example.org/lotteries/hook"},
                   {"WEBHOOK_SECRET", "s"},
                   {"PUBLIC_URL", "https://bot.example.org"}}),
       "WEBHOOK_URL"},
  };
  for (const auto& [environment, setting] : cases) {
    const auto config = parse_config(environment, {});
    ASSERT_FALSE(config) << setting;
    EXPECT_EQ(config.error().rfind(setting + ": ", 0), 0U) << config.error();
    EXPECT_THAT(config.error(), Not(HasSubstr(kToken)));
    EXPECT_THAT(config.error(), Not(HasSubstr("sms-secret")));
    EXPECT_EQ(config.error().find('\n'), std::string::npos);
  }
  EXPECT_THAT(parse_config(with_token(), {"--frobnicate"}).error(), HasSubstr("--frobnicate"));
  EXPECT_THAT(parse_config(with_token(), {"--claim-window"}).error(), HasSubstr("CLAIM_WINDOW"));
  EXPECT_THAT(parse_config({}, {}).error(), HasSubstr("@BotFather"));
}

TEST(Config, ListensOnAnIpAddressAndTakesABaseUrlWithOrWithoutASlash) {
  const auto config = parse_config(with_token({{"LISTEN", "[::1]:8443"},
                                               {"TELEGRAM_API_URL", "http://127.0.0.1:8081/"},
                                               {"MAX_CONNECTIONS", "100"}}),
                                   {});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 8443);
  EXPECT_TRUE(config->listen_set);
  EXPECT_EQ(config->max_connections, 100U);
  EXPECT_EQ(parse_config(with_token({{"LISTEN", "localhost:8080"}}), {})->listen_host, "127.0.0.1");
  EXPECT_FALSE(parse_config(with_token(), {})->listen_set);
}

TEST(Config, FilesAreCheckedBeforeAnythingIsContacted) {
  Config config;
  EXPECT_TRUE(check_files(config));
  config.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(check_files(config).error().rfind("TELEGRAM_CA_FILE: /nonexistent/ca.pem: ", 0), 0U);
  config.ca_file = "/tmp";
  EXPECT_EQ(check_files(config).error(), "TELEGRAM_CA_FILE: /tmp: not a file");
}

TEST(Config, NamesTheInstanceByHostAndPortUnlessNamed) {
  auto config = parse_config(with_token(), {});
  ASSERT_TRUE(config);
  EXPECT_EQ(instance_name(*config, "club-1"), "club-1");
  config = parse_config(with_token({{"BOT_MODE", "webhook"},
                                    {"WEBHOOK_URL", "https://bot.example/hook"},
                                    {"WEBHOOK_SECRET", "s"},
                                    {"LISTEN", "127.0.0.1:9001"}}),
                        {});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(instance_name(*config, "club-1"), "club-1:9001");
  config = parse_config(with_token({{"INSTANCE_NAME", "bot-a"}}), {});
  ASSERT_TRUE(config);
  EXPECT_EQ(instance_name(*config, "club-1"), "bot-a");
}

TEST(Config, ParsesDurations) {
  EXPECT_EQ(parse_duration("3s"), std::chrono::seconds{3});
  EXPECT_EQ(parse_duration("90m"), std::chrono::seconds{5400});
  EXPECT_EQ(parse_duration("24h"), std::chrono::seconds{86400});
  EXPECT_EQ(parse_duration("2d"), std::chrono::seconds{172800});
  for (const char* bad : {"", "s", "3", "-3s", "3x", "3.5h", "99999999999h"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Config, APublicUrlIsHttpsOrLoopbackAndLosesItsTrailingSlash) {
  EXPECT_EQ(parse_config(with_token({{"PUBLIC_URL", "https://bot.example.org/lottery/"}}), {})
                ->public_url,
            "https://bot.example.org/lottery");
  EXPECT_EQ(parse_config(with_token({{"PUBLIC_URL", "http://127.0.0.1:8080"}}), {})->public_url,
            "http://127.0.0.1:8080");
  EXPECT_TRUE(parse_config(with_token(), {})->public_url.empty());
}

}  // namespace
}  // namespace lottery::bot
