#include <gtest/gtest.h>

#include <set>
#include <string>

#include "lottery/core/audit_event.hpp"
#include "lottery/core/error.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/notification.hpp"
#include "lottery/core/winner.hpp"

namespace lottery {
namespace {

// Every value of an enumeration has its own stable name, and parsing the name gives
// the value back: the stores rely on it.
template <class Enum, class Parse>
void expect_round_trip(int count, Parse parse) {
  std::set<std::string> names;
  for (int i = 0; i < count; ++i) {
    const auto value = static_cast<Enum>(i);
    const std::string name(to_string(value));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(parse(name), value) << name;
  }
  EXPECT_FALSE(parse("no such name").has_value());
}

TEST(Names, LotteryStatusesRoundTrip) { expect_round_trip<LotteryStatus>(4, parse_lottery_status); }
TEST(Names, WinStatusesRoundTrip) { expect_round_trip<WinStatus>(4, parse_win_status); }
TEST(Names, ClaimMethodsRoundTrip) { expect_round_trip<ClaimMethod>(2, parse_claim_method); }
TEST(Names, ActorKindsRoundTrip) { expect_round_trip<ActorKind>(3, parse_actor_kind); }
TEST(Names, NotificationKindsRoundTrip) {
  expect_round_trip<NotificationKind>(static_cast<int>(NotificationKind::kReplyEdit) + 1,
                                      parse_notification_kind);
}
TEST(Names, AuditActionsRoundTrip) {
  expect_round_trip<AuditAction>(static_cast<int>(AuditAction::kClientLookedUp) + 1,
                                 parse_audit_action);
}

TEST(Names, EveryErrorCodeHasItsOwnName) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kStorageUnavailable); ++i) {
    const std::string name(to_string(static_cast<ErrorCode>(i)));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace lottery
