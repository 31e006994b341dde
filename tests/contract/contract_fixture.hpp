#pragma once

// The base of the typed contract suites: one suite per storage port, run against
// every implementation (the in-memory fake, SQLite, PostgreSQL). A Backend type has
// `static make()` returning an empty store (a unique_ptr to a TransactionManager that
// is an UpdateTransactionManager too).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <type_traits>

#include "lottery/core/account.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/user.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/update_transaction.hpp"

namespace lottery::contract {

// A fixed instant with whole microseconds, as every store keeps them.
inline constexpr Instant kT0{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} +
                             std::chrono::hours{12} + std::chrono::microseconds{123456}};

inline AccountNumber number(std::string_view text) { return AccountNumber::parse(text).value(); }
inline ClubCard card(std::string_view text) { return ClubCard::parse(text).value(); }
inline VerificationCode code(std::string_view text) {
  return VerificationCode::parse(text).value();
}

template <class Backend>
class ContractTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Backend::make(); }

  TransactionManager& store() { return *store_; }

  // Runs `work` in an update's transaction (which has the chat's repositories too)
  // and commits it.
  template <class Work>
  void committed_update(Work&& work) {
    auto transaction = store_->begin_update();
    work(*transaction);
    transaction->commit();
  }

  // Runs `work` in an update's transaction that is rolled back.
  template <class Work>
  auto read_update(Work&& work) {
    auto transaction = store_->begin_update();
    return work(*transaction);
  }

  // Runs `work` in a transaction and commits it; returns what `work` returns.
  template <class Work>
  auto committed(Work&& work) {
    auto transaction = store_->begin();
    if constexpr (std::is_void_v<decltype(work(*transaction))>) {
      work(*transaction);
      transaction->commit();
    } else {
      auto result = work(*transaction);
      transaction->commit();
      return result;
    }
  }

  // Runs `work` in a transaction that is rolled back.
  template <class Work>
  auto read(Work&& work) {
    auto transaction = store_->begin();
    return work(*transaction);
  }

  // A valid code made from the Telegram id, distinct for distinct ids.
  static std::string code_for(std::int64_t telegram_id) {
    std::string text(VerificationCode::kLength, VerificationCode::kAlphabet[0]);
    auto value = static_cast<std::uint64_t>(telegram_id);
    for (std::size_t i = text.size(); i-- > 0 && value > 0;) {
      text[i] = VerificationCode::kAlphabet[value % VerificationCode::kAlphabet.size()];
      value /= VerificationCode::kAlphabet.size();
    }
    return text;
  }

  static User make_user(std::int64_t telegram_id, std::optional<std::string_view> club_card = {},
                        std::optional<std::string_view> verification = {}) {
    User user;
    user.telegram_id = TelegramUserId{telegram_id};
    user.username = "user" + std::to_string(telegram_id);
    user.first_name = "Имя " + std::to_string(telegram_id);
    // A registered user has a card and a code (the stores may enforce it).
    if (club_card) {
      user.club_card = card(*club_card);
      user.is_registered = true;
      user.verification_code = code(verification.value_or(code_for(telegram_id)));
    } else if (verification) {
      user.verification_code = code(*verification);
    }
    user.created_at = kT0;
    return user;
  }

  UserId add_user(std::int64_t telegram_id, std::optional<std::string_view> club_card = {},
                  std::optional<std::string_view> verification = {}) {
    return committed([&](Transaction& transaction) {
      return transaction.users().insert(make_user(telegram_id, club_card, verification)).value();
    });
  }

  AccountId add_account(std::string_view account_number, std::optional<UserId> owner = {},
                        bool active = true) {
    return committed([&](Transaction& transaction) {
      return transaction.accounts()
          .insert(Account{AccountId{}, number(account_number), owner, active, kT0})
          .value();
    });
  }

  static Lottery make_lottery(std::string title = "Розыгрыш", int places = 2) {
    Lottery lottery;
    lottery.title = std::move(title);
    for (int place = 1; place <= places; ++place) {
      lottery.prizes.push_back(Prize{place, "Приз " + std::to_string(place)});
    }
    lottery.status = LotteryStatus::kOpen;
    lottery.claim_window = std::chrono::hours{24};
    for (std::size_t i = 0; i < lottery.seed.size(); ++i) {
      lottery.seed[i] = static_cast<std::uint8_t>(i * 7 + 1);
    }
    lottery.created_at = kT0;
    return lottery;
  }

  LotteryId add_lottery(std::string title = "Розыгрыш", int places = 2) {
    return committed([&](Transaction& transaction) {
      return transaction.lotteries().insert(make_lottery(std::move(title), places));
    });
  }

  static Winner make_winner(LotteryId lottery, AccountId account, std::string_view account_number,
                            std::optional<UserId> user, int place, int round = 1) {
    return Winner{.lottery = lottery,
                  .place = place,
                  .prize = "Приз " + std::to_string(place),
                  .account = account,
                  .account_number = number(account_number),
                  .user = user,
                  .round = round,
                  .draw_step = static_cast<std::uint64_t>(place - 1),
                  .status = WinStatus::kPending,
                  .deadline = kT0 + std::chrono::hours{24},
                  .remind_at = kT0 + std::chrono::hours{18},
                  .created_at = kT0};
  }

  WinnerId add_winner(const Winner& winner) {
    return committed([&](Transaction& transaction) {
      return transaction.winners().insert(
          winner, WinnerVerification{WinnerId{}, "token-" + std::to_string(winner.place), false,
                                     winner.deadline, std::nullopt, std::nullopt});
    });
  }

  decltype(Backend::make()) store_;
};

}  // namespace lottery::contract
