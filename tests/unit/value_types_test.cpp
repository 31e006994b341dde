#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fakes/seeded_random.hpp"
#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/verification_code.hpp"

namespace lottery {
namespace {

struct AccountCase {
  std::string input;
  std::string canonical;  // empty: refused
};

class AccountNumberParse : public ::testing::TestWithParam<AccountCase> {};

TEST_P(AccountNumberParse, NormalisesOrRefuses) {
  const auto& [input, canonical] = GetParam();
  const auto parsed = AccountNumber::parse(input);
  if (canonical.empty()) {
    ASSERT_FALSE(parsed.has_value()) << input;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidAccountNumber);
  } else {
    ASSERT_TRUE(parsed.has_value()) << input;
    EXPECT_EQ(parsed->str(), canonical);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, AccountNumberParse,
    ::testing::Values(
        AccountCase{"11-22-33-44-55-66-77", "11-22-33-44-55-66-77"},
        AccountCase{"11223344556677", "11-22-33-44-55-66-77"},
        AccountCase{"11 22 33 44 55 66 77", "11-22-33-44-55-66-77"},
        AccountCase{"11.22.33.44.55.66.77", "11-22-33-44-55-66-77"},
        AccountCase{"  11-22-33-44-55-66-77\n", "11-22-33-44-55-66-77"},
        AccountCase{"11  22 33 44 55 66 77", "11-22-33-44-55-66-77"},
        AccountCase{"00-00-00-00-00-00-00", "00-00-00-00-00-00-00"}, AccountCase{"", ""},
        AccountCase{"   ", ""}, AccountCase{"1122334455667", ""},  // 13 digits
        AccountCase{"112233445566778", ""},                        // 15 digits
        AccountCase{"11-22-33-44-55-66", ""},                      // six groups
        AccountCase{"11-22-33-44-55-66-77-88", ""},
        AccountCase{"112-23-34-45-56-67-7", ""},  // wrong grouping
        AccountCase{"11--22-33-44-55-66-77", ""}, AccountCase{"11-22-33-44-55-66-7a", ""},
        AccountCase{"aa-bb-cc-dd-ee-ff-gg", ""}, AccountCase{"11_22_33_44_55_66_77", ""},
        AccountCase{"-11-22-33-44-55-66-77", ""}, AccountCase{"11-22-33-44-55-66-77-", ""},
        AccountCase{"١١-٢٢-٣٣-٤٤-٥٥-٦٦-٧٧", ""},  // non-ASCII digits
        AccountCase{"'; DROP TABLE accounts; --", ""}));

TEST(AccountNumber, RefusalCarriesTheInputButNotAnUnboundedOne) {
  const std::string huge(100000, '1');
  const auto parsed = AccountNumber::parse(huge);
  ASSERT_FALSE(parsed);
  EXPECT_LE(parsed.error().detail.size(), 256U);
}

TEST(ClubCard, AcceptsOneToTwentyDigits) {
  EXPECT_EQ(ClubCard::parse("2223")->str(), "2223");
  EXPECT_EQ(ClubCard::parse(" 0042 ")->str(), "42");
  EXPECT_EQ(ClubCard::parse("7")->str(), "7");
  EXPECT_TRUE(ClubCard::parse(std::string(20, '9')));
}

// Look-alikes are one card: 02223 cannot be registered beside 2223.
TEST(ClubCard, LeadingZerosAreDroppedAndZerosAloneRefused) {
  EXPECT_EQ(*ClubCard::parse("02223"), *ClubCard::parse("2223"));
  EXPECT_EQ(*ClubCard::parse("0000000000000000000002223"), *ClubCard::parse("2223"));
  for (const std::string_view zeros : {"0", "00", " 000 "}) {
    const auto parsed = ClubCard::parse(zeros);
    ASSERT_FALSE(parsed) << zeros;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidClubCard);
  }
  // A card stored before the rule stays readable as it is.
  EXPECT_EQ(ClubCard::from_storage("02223")->str(), "02223");
  EXPECT_FALSE(ClubCard::from_storage("22a"));
}

TEST(ClubCard, RefusesEverythingElse) {
  for (const std::string& bad : std::vector<std::string>{"", " ", std::string(21, '1'), "22 23",
                                                         "2223a", "-2223", "+2223", "２２２３"}) {
    const auto parsed = ClubCard::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidClubCard);
  }
}

TEST(VerificationCode, MatchesCaseInsensitively) {
  const auto lower = VerificationCode::parse(" ab23cd45 ");
  const auto upper = VerificationCode::parse("AB23CD45");
  ASSERT_TRUE(lower && upper);
  EXPECT_EQ(*lower, *upper);
  EXPECT_EQ(lower->str(), "AB23CD45");
}

TEST(VerificationCode, AcceptsTheFirstBotsCodesWithLookAlikes) {
  // Codes like the notes' AB12CD34 were issued before; they must still be matched.
  EXPECT_EQ(VerificationCode::parse("ab12cd34")->str(), "AB12CD34");
  EXPECT_EQ(VerificationCode::parse("OIL01OIL")->str(), "OIL01OIL");
}

TEST(VerificationCode, RefusesWrongLengthsAndCharacters) {
  for (const std::string& bad : std::vector<std::string>{"AB23CD4", "AB23CD456", "", "AB23 D45",
                                                         "AB23-D45", "АВ23СD45", "AB23CD4\n"}) {
    const auto parsed = VerificationCode::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidVerificationCode);
  }
}

TEST(VerificationCode, AlphabetHasNoLookAlikes) {
  for (const char ambiguous : {'0', 'O', '1', 'I', 'L'}) {
    EXPECT_EQ(VerificationCode::kAlphabet.find(ambiguous), std::string_view::npos) << ambiguous;
  }
  EXPECT_EQ(VerificationCode::kAlphabet.size(), 31U);
}

TEST(VerificationCode, GeneratedCodesParseBackAndUseTheWholeAlphabet) {
  testing::SeededRandom random(7);
  std::set<char> seen;
  std::set<std::string> codes;
  for (int i = 0; i < 2000; ++i) {
    const VerificationCode code = VerificationCode::generate(random);
    ASSERT_EQ(VerificationCode::parse(code.str()).value(), code);
    seen.insert(code.str().begin(), code.str().end());
    codes.insert(code.str());
  }
  EXPECT_EQ(seen.size(), VerificationCode::kAlphabet.size());
  EXPECT_EQ(codes.size(), 2000U);
}

TEST(Phone, NormalisesToPlusAndDigits) {
  EXPECT_EQ(Phone::parse("+7 (912) 345-67-89")->str(), "+79123456789");
  EXPECT_EQ(Phone::parse("79123456789")->str(), "+79123456789");
  EXPECT_EQ(Phone::parse("8.912.345.67.89")->str(), "+89123456789");
}

TEST(Phone, RefusesNonsense) {
  for (const std::string& bad :
       std::vector<std::string>{"", "+", "12345", "+7 912 345 67 89 000 00", "7912345678a",
                                "79+123456789", "++79123456789"}) {
    const auto parsed = Phone::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidPhone);
  }
}

}  // namespace
}  // namespace lottery
