// R-VERIFY-1 end to end: the real bot with PUBLIC_URL draws a lottery; the results
// post carries the entry list and a button; a client follows the button in headless
// Chromium to the bot's own page, which fetches the published data and verifies it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "bot_fixture.hpp"
#include "headless_chromium.hpp"

namespace lottery::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

class VerifyEndToEnd : public BotFixture {};

// The url of the first button under a sent message.
std::string button_url(const SentMessage& message) {
  if (message.reply_markup.empty()) return {};
  const auto markup = json::parse(message.reply_markup).as_object();
  const auto& button = markup.at("inline_keyboard").as_array().at(0).as_array().at(0).as_object();
  return std::string(button.at("url").as_string());
}

TEST_F(VerifyEndToEnd, AClientGoesFromTheResultsPostsButtonToAVerifiedDraw) {
  const std::uint16_t port = free_port();
  const std::string public_url = "http://127.0.0.1:" + std::to_string(port);
  start({{"LISTEN", "127.0.0.1:" + std::to_string(port)}, {"PUBLIC_URL", public_url}});
  const std::string lottery = new_lottery("Лето", "1 Велосипед\n2 Самокат");
  exchange(kAdmin, "/add_accounts", "по одному на строку");
  const auto choice = exchange(
      kAdmin,
      "11-22-33-44-55-66-77\n10-00-00-00-00-00-01\n99-88-77-66-55-44-33\n31-41-59-26-53-58-97",
      "В какой розыгрыш");
  telegram_.push_button(kAdmin, choice.message_id, "add_accounts:" + lottery);
  ASSERT_TRUE(await(kAdmin, "без владельца 4"));
  exchange(kAdmin, "/draw " + lottery + " 2026-12-06 Русское лото: 5 17 42", "проведён");

  const auto post = await(kAnnounce, "Проверка честности розыгрыша №" + lottery);
  ASSERT_TRUE(post);
  EXPECT_THAT(post->text, HasSubstr("Выигравшие счета по порядку розыгрыша: "));
  const std::string page = button_url(*post);
  EXPECT_EQ(page, public_url + "/verify?lottery=" + lottery);
  const auto list = await(kAnnounce, "Список участников розыгрыша №" + lottery);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->document_name, "lottery-" + lottery + "-entries.csv");

  HeadlessChromium browser;
  browser.open(page);
  browser.evaluate("window.lotteryVerification");
  const json::value states = browser.evaluate(
      "Object.fromEntries([...document.querySelectorAll('#verdicts [data-check]')]"
      ".map(item => [item.dataset.check, item.dataset.state]))");
  EXPECT_EQ(states, (json::object{{"commitment", "ok"}, {"entries", "ok"}, {"winners", "ok"}}))
      << browser.log();
  EXPECT_EQ(browser.evaluate("document.querySelector('#result').dataset.state"), "ok");
  // The list the page checked is the very file attached to the post.
  EXPECT_EQ(browser.evaluate("fetch('lotteries/" + lottery +
                             "/entries.csv').then(answer => answer.text())"),
            json::value(list->document));
  browser.screenshot(std::string(LOTTERY_BIN_DIR) + "/verifier-page.png", 420, 1300);
  stop();
}

}  // namespace
}  // namespace lottery::testing
