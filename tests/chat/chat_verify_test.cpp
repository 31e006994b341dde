// R-VERIFY-1 in the chat: the results post carries what a client needs to check the
// draw, the entry list goes with it as a file, and with PUBLIC_URL a button opens the
// verifier page.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chat_test_fixture.hpp"

namespace lottery::chat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kPublicUrl = "https://club.example/lottery";

class VerifyTest : public ChatTest {
 protected:
  void use_public_url() {
    bot_ = std::make_unique<ChatBot>(
        Dependencies{store_, clock_, random_, draw_randomness_, settings_}, store_,
        ChatSettings{"club_lottery_bot", "@club_admin", nullptr, std::string(kPublicUrl)});
  }

  // Two accounts of Anna's in a one-place lottery, drawn: what the draw sent.
  std::vector<OutgoingMessage> draw_two_entries() {
    register_client(kAnna, "2223");
    say(kAdmin, "/add_account 2223 11-22-33-44-55-66-77");
    say(kAdmin, "/add_account 2223 10-00-00-00-00-00-01");
    say(kAdmin, "/new_lottery Лето");
    say(kAdmin, "1 Велосипед");
    say(kAdmin, "/enroll 1 all");
    return say(kAdmin, "/draw 1");
  }

  static std::vector<OutgoingMessage> to_announcements(const std::vector<OutgoingMessage>& sent) {
    std::vector<OutgoingMessage> posted;
    for (const auto& message : sent) {
      if (message.chat == kAnnounce) posted.push_back(message);
    }
    return posted;
  }
};

TEST_F(VerifyTest, TheResultsPostCarriesTheDrawDataAndTheEntryListAsAFile) {
  const auto posted = to_announcements(draw_two_entries());
  ASSERT_EQ(posted.size(), 2U);
  const std::string& post = posted[0].html;
  EXPECT_THAT(post, HasSubstr("Проверка честности розыгрыша №1"));
  EXPECT_THAT(post, HasSubstr("Ключ: <code>"));
  EXPECT_THAT(post, HasSubstr("Публичное значение не задано"));
  EXPECT_THAT(post, HasSubstr("Выигравшие счета по порядку розыгрыша: "));
  EXPECT_THAT(post, HasSubstr("verify.html"));
  EXPECT_EQ(posted[0].markup.kind, Markup::Kind::kNone);

  ASSERT_TRUE(posted[1].document);
  EXPECT_EQ(posted[1].document->file_name, "lottery-1-entries.csv");
  EXPECT_EQ(posted[1].document->content,
            "ordinal,account_number\n0,11-22-33-44-55-66-77\n1,10-00-00-00-00-00-01\n");
  EXPECT_THAT(posted[1].html, HasSubstr("Список участников розыгрыша №1, всего 2"));
}

TEST_F(VerifyTest, TheWinnersLineNamesEveryRoundInDrawOrderAndARedrawDoesNotResendTheList) {
  const auto first = to_announcements(draw_two_entries());
  const std::string first_winner = first[0].html.substr(
      first[0].html.find("розыгрыша: ") + std::string("розыгрыша: ").size(), 20);
  clock_.advance(std::chrono::hours{25});
  const auto redrawn = to_announcements(say(kAdmin, "/redraw 1"));
  ASSERT_EQ(redrawn.size(), 1U);  // the post edited, no second list
  EXPECT_TRUE(redrawn[0].edit_message_id);
  EXPECT_FALSE(redrawn[0].document);
  const std::string second_winner =
      first_winner == "11-22-33-44-55-66-77" ? "10-00-00-00-00-00-01" : "11-22-33-44-55-66-77";
  EXPECT_THAT(redrawn[0].html,
              HasSubstr("по порядку розыгрыша: " + first_winner + ", " + second_winner + "\n"));
}

TEST_F(VerifyTest, WithAPublicUrlThePostAndLotteryInfoOpenTheVerifierPage) {
  use_public_url();
  const auto posted = to_announcements(draw_two_entries());
  ASSERT_EQ(posted[0].markup.kind, Markup::Kind::kInline);
  const InlineButton& in_channel = posted[0].markup.inline_rows.at(0).at(0);
  EXPECT_EQ(in_channel.url, std::string(kPublicUrl) + "/verify?lottery=1");
  EXPECT_FALSE(in_channel.web_app);  // Mini Apps open from private chats only
  EXPECT_THAT(posted[0].html, HasSubstr("кнопка «Проверить розыгрыш»"));

  const auto info = say(kBoris, "/lottery_info 1");
  ASSERT_EQ(info.size(), 1U);
  ASSERT_EQ(info[0].markup.kind, Markup::Kind::kInline);
  const InlineButton& in_private = info[0].markup.inline_rows.at(0).at(0);
  EXPECT_TRUE(in_private.web_app);
  EXPECT_EQ(in_private.url, std::string(kPublicUrl) + "/verify?lottery=1");
  EXPECT_THAT(info[0].html, HasSubstr("Выигравшие счета по порядку розыгрыша"));
}

TEST_F(VerifyTest, TheCommitmentIsPostedPubliclyWhenTheLotteryIsCreated) {
  say(kAdmin, "/new_lottery Зима");
  const auto created = to_announcements(say(kAdmin, "1 Санки"));
  ASSERT_EQ(created.size(), 1U);
  EXPECT_THAT(created[0].html, HasSubstr("Новый розыгрыш №1 «Зима»"));
  EXPECT_THAT(created[0].html, HasSubstr("Хэш ключа (SHA-256): <code>"));
  EXPECT_THAT(created[0].html, HasSubstr("Ключ будет раскрыт после розыгрыша"));
  EXPECT_THAT(created[0].html, Not(HasSubstr("Ключ: ")));
}

TEST_F(VerifyTest, AnOpenLotteryHasNoButtonAndRevealsNoKey) {
  use_public_url();
  say(kAdmin, "/new_lottery Зима");
  say(kAdmin, "1 Санки");
  const auto info = say(kBoris, "/lottery_info 1");
  ASSERT_EQ(info.size(), 1U);
  EXPECT_EQ(info[0].markup.kind, Markup::Kind::kNone);
  EXPECT_THAT(info[0].html, Not(HasSubstr("Ключ:")));
  EXPECT_THAT(info[0].html, HasSubstr("Ключ будет раскрыт после розыгрыша"));
}

TEST(MarkupEncoding, LinkButtonsSurviveTheOutbox) {
  Markup markup;
  markup.kind = Markup::Kind::kInline;
  markup.inline_rows = {{InlineButton{"Проверить", {}, "https://a.example/verify?lottery=1", true},
                         InlineButton{"Браузер", {}, "https://a.example/verify", false}},
                        {InlineButton{"Нажать", "confirm:1"}}};
  EXPECT_EQ(decode_markup(encode_markup(markup)), markup);
  EXPECT_FALSE(
      decode_markup("inline\nA\x1e\x1e"
                    "ftp:x"));
}

}  // namespace
}  // namespace lottery::chat
