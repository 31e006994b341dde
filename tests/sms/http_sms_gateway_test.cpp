// The SMS adapter (R-2FA-1) against a local gateway on loopback.

#include "lottery/sms/http_sms_gateway.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "fake_sms_gateway.hpp"

namespace lottery::sms {
namespace {

using testing::FakeSmsGateway;

const Phone kPhone = Phone::parse("+7 900 111-22-33").value();

TEST(HttpSmsGateway, SendsTheCodeInTheTemplateWithTheAuthorization) {
  FakeSmsGateway fake;
  HttpSmsGateway gateway(GatewaySettings{fake.url("/send?to={phone}&msg={text}&json=1"), "GET",
                                         "Bearer secret-key", std::chrono::seconds{5}});
  EXPECT_TRUE(gateway.send_code(kPhone, "042917"));
  const auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].authorization, "Bearer secret-key");
  EXPECT_EQ(requests[0].target, "/send?to=%2B79001112233&msg=" +
                                    message_url("{text}", "", code_text("042917")) + "&json=1");
  EXPECT_NE(requests[0].target.find("042917"), std::string::npos);
}

TEST(HttpSmsGateway, AQueryRightAfterTheHostGoesToThatHost) {
  FakeSmsGateway fake;
  HttpSmsGateway gateway(
      GatewaySettings{fake.url("?to={phone}&text={text}"), "GET", "", std::chrono::seconds{5}});
  EXPECT_TRUE(gateway.send_code(kPhone, "123456"));
  ASSERT_EQ(fake.requests().size(), 1U);
  EXPECT_EQ(fake.requests()[0].target.rfind("/?to=%2B79001112233&text=", 0), 0U);
}

TEST(HttpSmsGateway, PostsWhenToldTo) {
  FakeSmsGateway fake;
  HttpSmsGateway gateway(
      GatewaySettings{fake.url("/sms/{phone}/{text}"), "POST", "", std::chrono::seconds{5}});
  EXPECT_TRUE(gateway.send_code(kPhone, "000001"));
  ASSERT_EQ(fake.requests().size(), 1U);
  EXPECT_EQ(fake.requests()[0].method, "POST");
  EXPECT_EQ(fake.requests()[0].authorization, "");
}

TEST(HttpSmsGateway, ARefusalAnOutageOrSilenceIsAMessageNotSent) {
  FakeSmsGateway fake;
  HttpSmsGateway gateway(GatewaySettings{fake.url("/send?to={phone}&text={text}"), "GET", "",
                                         std::chrono::seconds{1}});
  fake.status = 500;
  EXPECT_FALSE(gateway.send_code(kPhone, "123456"));
  fake.status = 401;
  EXPECT_FALSE(gateway.send_code(kPhone, "123456"));
  fake.silent = true;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(gateway.send_code(kPhone, "123456"));
  // The timeout bounds the wait: a silent gateway does not hold a confirmation long.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
  HttpSmsGateway nowhere(GatewaySettings{"http://127.0.0.1:1/send?to={phone}&text={text}", "GET",
                                         "", std::chrono::seconds{1}});
  EXPECT_FALSE(nowhere.send_code(kPhone, "123456"));
}

TEST(HttpSmsGateway, BadSettingsAreNamedAtStart) {
  const auto problem = [](std::string url, std::string method, std::string auth) {
    return check(GatewaySettings{std::move(url), std::move(method), std::move(auth), {}});
  };
  EXPECT_FALSE(problem("https://sms.example/send?to={phone}&text={text}", "GET", "Bearer x"));
  EXPECT_TRUE(problem("sms.example/send?to={phone}&text={text}", "GET", ""));
  EXPECT_TRUE(problem("https://sms.example/send?to={phone}", "GET", ""));
  EXPECT_TRUE(problem("https://sms.example/send?to={phone}&text={text}", "PUT", ""));
  EXPECT_TRUE(problem("https://sms.example/send?to={phone}&text={text}", "GET", "x\r\nHost: y"));
  EXPECT_TRUE(problem("https://user@sms.example/{phone}/{text}", "GET", ""));
  // The authority ends at the query too, and an IPv6 address keeps its port.
  EXPECT_FALSE(problem("https://sms.example?to={phone}&text={text}", "GET", ""));
  EXPECT_FALSE(problem("https://[::1]:8443/send/{phone}/{text}", "GET", ""));
  EXPECT_TRUE(problem("https://[::1/send/{phone}/{text}", "GET", ""));
  EXPECT_TRUE(problem("https://sms.example:/send/{phone}/{text}", "GET", ""));
  EXPECT_TRUE(problem("https://sms.example:99999999/send/{phone}/{text}", "GET", ""));
}

TEST(HttpSmsGateway, PercentEncodesWhatItPutsIn) {
  EXPECT_EQ(message_url("https://g/x?p={phone}&t={text}", "+7 900", "a&b=c/ä"),
            "https://g/x?p=%2B7%20900&t=a%26b%3Dc%2F%C3%A4");
}

}  // namespace
}  // namespace lottery::sms
