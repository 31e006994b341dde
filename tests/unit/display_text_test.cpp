#include "lottery/core/display_text.hpp"

#include <gtest/gtest.h>

namespace lottery {
namespace {

TEST(DisplayText, PlainTextIsKept) {
  EXPECT_EQ(one_line("Анна 🎉 Öz"), "Анна 🎉 Öz");
  EXPECT_EQ(one_line(""), "");
}

TEST(DisplayText, LineBreaksAndControlsBecomeSpaces) {
  EXPECT_EQ(one_line("a\nb\rc\td\x1b[31me\x7f"), "a b c d [31me ");
  EXPECT_EQ(one_line("a\u2028b\u2029c\u0085d"), "a b c d");
}

TEST(DisplayText, ReorderingControlsAreDropped) {
  EXPECT_EQ(one_line("abc\u202Edcba\u202C\u2066x\u2069\u200E\u200F\u061C"), "abcdcbax");
  EXPECT_EQ(one_line("\u200D👨\u200D👩"), "\u200D👨\u200D👩") << "joiners build emoji";
}

// "Анна" with hidden characters must not pass for "Анна" in an admin's list.
TEST(DisplayText, CharactersThatShowNothingAreDropped) {
  EXPECT_EQ(one_line("\u0410\u200B\u043D\u2060\u043D\uFEFF\u0430\u00AD\u3164"), "Анна");
}

TEST(DisplayText, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(one_line("a\xff"
                     "b"),
            "a\uFFFD"
            "b");
  EXPECT_EQ(one_line("\xC0\xAF"), "\uFFFD\uFFFD") << "an overlong '/'";
  EXPECT_EQ(one_line("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD") << "a surrogate";
  EXPECT_EQ(one_line("\xE2\x82"), "\uFFFD\uFFFD") << "cut short";
}

}  // namespace
}  // namespace lottery
