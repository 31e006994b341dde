#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fakes/fake_clock.hpp"
#include "fakes/memory_store.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/registration_service.hpp"

namespace lottery::testing {

inline AccountNumber account(std::string_view text) { return AccountNumber::parse(text).value(); }
inline ClubCard card(std::string_view text) { return ClubCard::parse(text).value(); }

// The core wired to the in-memory store, a fake clock and seeded randomness, with
// one admin, and helpers that set up the usual scenes.
class CoreTest : public ::testing::Test {
 protected:
  static constexpr TelegramUserId kAdmin{9000};
  static constexpr ChatId kAnnounceChat{-100123};

  CoreTest() { settings_.admins = {kAdmin}; }

  Dependencies deps() { return Dependencies{store_, clock_, random_, *draw_, settings_}; }
  RegistrationService registration() { return RegistrationService(deps()); }
  AccountService accounts() { return AccountService(deps()); }
  LotteryService lotteries() { return LotteryService(deps()); }
  ClaimService claims() { return ClaimService(deps()); }
  QueryService queries() { return QueryService(deps()); }

  static Requester admin() { return Requester::telegram(kAdmin); }

  User register_user(std::int64_t telegram_id, std::string_view club_card,
                     std::string first_name = "Client") {
    return registration()
        .register_user(RegistrationRequest{TelegramUserId{telegram_id},
                                           "user" + std::to_string(telegram_id),
                                           std::move(first_name), card(club_card), std::nullopt})
        .value();
  }

  Account add_account(std::optional<std::string_view> club_card, std::string_view number) {
    std::optional<ClubCard> parsed;
    if (club_card) parsed = card(*club_card);
    return accounts().add_account(admin(), parsed, account(number)).value().account;
  }

  Lottery create_lottery(int places, const std::string& title = "Новогодний розыгрыш") {
    std::vector<Prize> prizes;
    prizes.reserve(static_cast<std::size_t>(places));
    for (int place = 1; place <= places; ++place) {
      prizes.push_back(Prize{place, "Приз " + std::to_string(place)});
    }
    return lotteries().create(admin(), title, prizes).value();
  }

  void enrol(LotteryId lottery, const std::vector<Account>& list) {
    std::vector<AccountNumber> numbers;
    numbers.reserve(list.size());
    for (const Account& each : list) numbers.push_back(each.number);
    ASSERT_TRUE(lotteries().enrol(admin(), lottery, numbers).has_value());
  }

  // `count` ownerless accounts 10-00-00-00-00-00-00, 10-00-00-00-00-00-01, ...
  std::vector<Account> make_accounts(int count, int series = 10) {
    std::vector<Account> made;
    for (int i = 0; i < count; ++i) {
      char text[32];
      std::snprintf(text, sizeof text, "%02d-00-00-00-00-%02d-%02d", series, i / 100, i % 100);
      made.push_back(add_account(std::nullopt, text));
    }
    return made;
  }

  std::vector<Notification> outbox_of(ChatId chat) {
    std::vector<Notification> found;
    for (const Notification& notification : store_.snapshot().outbox) {
      if (notification.chat == chat) found.push_back(notification);
    }
    return found;
  }

  std::vector<Notification> outbox_of_kind(NotificationKind kind) {
    std::vector<Notification> found;
    for (const Notification& notification : store_.snapshot().outbox) {
      if (notification.kind == kind) found.push_back(notification);
    }
    return found;
  }

  std::vector<AuditAction> audit_actions() {
    std::vector<AuditAction> actions;
    for (const AuditEvent& event : store_.snapshot().audit) actions.push_back(event.action);
    return actions;
  }

  MemoryStore store_;
  FakeClock clock_;
  SeededRandom random_{20260101};
  SeededDrawRandomness draw_randomness_;
  DrawRandomness* draw_{&draw_randomness_};  // a test may draw in enrolment order instead
  Settings settings_;
};

}  // namespace lottery::testing
