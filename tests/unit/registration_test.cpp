#include <gtest/gtest.h>

#include "core_fixture.hpp"

namespace lottery::testing {
namespace {

class RegistrationTest : public CoreTest {
 protected:
  RegistrationRequest request(std::int64_t telegram_id, std::string_view club_card) {
    return RegistrationRequest{TelegramUserId{telegram_id}, "nick", "Анна", card(club_card),
                               Phone::parse("+79123456789").value()};
  }
};

TEST_F(RegistrationTest, RegistersWithAFreshCode) {
  const auto user = registration().register_user(request(1, "2223"));
  ASSERT_TRUE(user) << to_string(user.error().code);
  EXPECT_TRUE(user->is_registered);
  ASSERT_TRUE(user->verification_code);
  EXPECT_EQ(user->verification_code->str().size(), VerificationCode::kLength);
  EXPECT_EQ(user->club_card->str(), "2223");
  EXPECT_EQ(user->phone->str(), "+79123456789");
  EXPECT_EQ(user->created_at, FakeClock::kStart);

  const auto stored = registration().find_user(TelegramUserId{1}).value();
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, *user);
  EXPECT_EQ(audit_actions(), std::vector<AuditAction>{AuditAction::kUserRegistered});
}

TEST_F(RegistrationTest, UnknownUserIsNotFound) {
  EXPECT_EQ(registration().find_user(TelegramUserId{5}).value(), std::nullopt);
}

TEST_F(RegistrationTest, RefusesACardRegisteredToSomeoneElse) {
  ASSERT_TRUE(registration().register_user(request(1, "2223")));
  const auto before = store_.snapshot();

  EXPECT_EQ(registration().check_card(TelegramUserId{2}, card("2223")).error().code,
            ErrorCode::kCardTaken);
  const auto second = registration().register_user(request(2, "2223"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kCardTaken);
  EXPECT_EQ(store_.snapshot().users, before.users);
  EXPECT_EQ(store_.snapshot().audit, before.audit);
}

TEST_F(RegistrationTest, ARegisteredUserCannotRegisterAgain) {
  ASSERT_TRUE(registration().register_user(request(1, "2223")));
  EXPECT_EQ(registration().check_card(TelegramUserId{1}, card("5555")).error().code,
            ErrorCode::kAlreadyRegistered);
  EXPECT_EQ(registration().register_user(request(1, "5555")).error().code,
            ErrorCode::kAlreadyRegistered);
}

TEST_F(RegistrationTest, AFreeCardPassesTheCheck) {
  EXPECT_TRUE(registration().check_card(TelegramUserId{1}, card("2223")));
}

TEST_F(RegistrationTest, CodesAreUniqueEvenWhenTheGeneratorRepeatsItself) {
  ASSERT_TRUE(registration().register_user(request(1, "1111")));
  // A second service whose random source replays the first one's bytes proposes the
  // taken code first; it must move on to another.
  SeededRandom replay(20260101);
  RegistrationService replaying(Dependencies{store_, clock_, replay, draw_randomness_, settings_});
  const auto second = replaying.register_user(request(2, "2222"));
  ASSERT_TRUE(second);
  const auto first = registration().find_user(TelegramUserId{1}).value();
  EXPECT_NE(first->verification_code, second->verification_code);
}

TEST_F(RegistrationTest, PhoneIsOptional) {
  auto without_phone = request(3, "3333");
  without_phone.phone.reset();
  const auto user = registration().register_user(without_phone);
  ASSERT_TRUE(user);
  EXPECT_FALSE(user->phone);
}

}  // namespace
}  // namespace lottery::testing
