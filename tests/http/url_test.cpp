// The adapters' one URL parser (the Telegram base URL, the SMS gateway's template):
// what it splits, and what it refuses before any connection is tried.

#include <gtest/gtest.h>

#include "lottery/http/client.hpp"

namespace lottery::http {
namespace {

TEST(HttpUrl, SplitsSchemeHostPortAndTarget) {
  const auto url = parse_url("https://sms.example:8443/send?to=1");
  ASSERT_TRUE(url);
  EXPECT_TRUE(url->secure);
  EXPECT_EQ(url->host, "sms.example");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->target, "/send?to=1");
}

TEST(HttpUrl, DefaultsThePortAndThePath) {
  const auto plain = parse_url("http://127.0.0.1");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->secure);
  EXPECT_EQ(plain->port, "80");
  EXPECT_EQ(plain->target, "/");
  EXPECT_EQ(parse_url("https://a.example")->port, "443");
}

TEST(HttpUrl, AQueryRightAfterTheHostStillEndsTheAuthority) {
  const auto url = parse_url("https://g.example?to=1&x=@a:b");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "g.example");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/?to=1&x=@a:b");
}

TEST(HttpUrl, TakesBracketedIpv6Addresses) {
  const auto url = parse_url("http://[::1]:8081/bot");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "8081");
  EXPECT_EQ(parse_url("http://[::1]/")->port, "80");
}

TEST(HttpUrl, RefusesWhatIsNoHttpUrl) {
  for (const char* text :
       {"", "ftp://a.example/", "https://", "https://:443/", "https://a.example:/",
        "https://a.example:44x/", "https://a.example:123456/", "https://user@a.example/",
        "http://[::1/", "http://[::1]x/", "http://[::1]:/", "https://a.example/\r\nX: y",
        "https://a b.example/"}) {
    EXPECT_FALSE(parse_url(text)) << text;
  }
}

TEST(HttpConnection, AnExchangeBeforeOpeningFailsWithoutTryingTheNetwork) {
  Connection connection;
  const auto answer = connection.exchange(Request{}, std::chrono::steady_clock::now(), 1024);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().description, "send: not connected");
}

TEST(HttpConnection, AnUnresolvableHostFailsWithinTheDeadline) {
  Connection connection;
  // .invalid never resolves (RFC 6761); the deadline bounds the lookup either way.
  const auto failed = connection.open(*parse_url("http://no-such-host.invalid/"),
                                      std::chrono::steady_clock::now() + std::chrono::seconds{5});
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->description.rfind("resolve: ", 0), 0U) << failed->description;
  EXPECT_FALSE(connection.is_open());
}

}  // namespace
}  // namespace lottery::http
