// The Winners port on SOCI (PostgreSQL and SQLite).
#include <algorithm>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "lottery/core/draw_verification.hpp"
#include "repositories.hpp"
#include "sql_support.hpp"
#include "staging.hpp"

namespace lottery::db {
namespace {

using soci::into;
using soci::use;

// Winners

constexpr const char* kWinnerColumns =
    "SELECT id, lottery_id, place, prize, account_id, account_number, user_id, round, "
    "draw_step, status, lottery_us(claimed_at) AS claimed_at_us, claimed_how, "
    "lottery_us(deadline) AS deadline_us, lottery_us(remind_at) AS remind_at_us, "
    "lottery_flag(reminded) AS reminded, lottery_us(created_at) AS created_at_us, "
    "lottery_us(prize_given_at) AS prize_given_at_us FROM winners ";

Winner winner_from(const soci::row& row) {
  std::optional<UserId> user;
  if (const auto id = optional_integer(row, "user_id")) user = UserId{*id};
  std::optional<ClaimMethod> how;
  if (const auto method = optional_text(row, "claimed_how"))
    how = must(parse_claim_method(*method), "method");
  return Winner{
      .id = WinnerId{integer(row, "id")},
      .lottery = LotteryId{integer(row, "lottery_id")},
      .place = static_cast<int>(integer(row, "place")),
      .prize = text(row, "prize"),
      .account = AccountId{integer(row, "account_id")},
      .account_number = must(AccountNumber::parse(text(row, "account_number")), "account number"),
      .user = user,
      .round = static_cast<int>(integer(row, "round")),
      .draw_step = static_cast<std::uint64_t>(integer(row, "draw_step")),
      .status = must(parse_win_status(text(row, "status")), "win status"),
      .claimed_at = optional_instant(row, "claimed_at_us"),
      .claimed_how = how,
      .deadline = instant(row, "deadline_us"),
      .remind_at = instant(row, "remind_at_us"),
      .reminded = integer(row, "reminded") != 0,
      .created_at = instant(row, "created_at_us"),
      .prize_given_at = optional_instant(row, "prize_given_at_us")};
}

class SqlWinners : public WinnerRepository {
 public:
  explicit SqlWinners(soci::session& session) : session_(session) {}

  WinnerId insert(const Winner& winner, const WinnerVerification& verification) override {
    return guarded([&] {
      long long lottery = winner.lottery.value();
      int place = winner.place;
      std::string prize = winner.prize;
      long long account = winner.account.value();
      std::string number = winner.account_number.str();
      Nullable<long long> user;
      if (winner.user) user = {winner.user->value(), soci::i_ok};
      int round = winner.round;
      long long step = static_cast<long long>(winner.draw_step);
      std::string status(to_string(winner.status));
      long long deadline = micros(winner.deadline);
      long long remind_at = micros(winner.remind_at);
      int reminded = winner.reminded ? 1 : 0;
      long long created_at = micros(winner.created_at);
      int claimed = winner.is_claimed() ? 1 : 0;
      long long id = 0;
      session_ << "INSERT INTO winners (lottery_id, place, prize, account_id, account_number, "
                  "user_id, round, draw_step, status, is_claimed, deadline, remind_at, reminded, "
                  "created_at) VALUES (:lottery, :place, :prize, :account, :number, :user, "
                  ":round, :step, :status, :claimed, lottery_ts(:deadline), "
                  "lottery_ts(:remind_at), :reminded, lottery_ts(:created_at)) RETURNING id",
          use(lottery, "lottery"), use(place, "place"), use(prize, "prize"),
          use(account, "account"), use(number, "number"), use(user.value, user.indicator, "user"),
          use(round, "round"), use(step, "step"), use(status, "status"), use(claimed, "claimed"),
          use(deadline, "deadline"), use(remind_at, "remind_at"), use(reminded, "reminded"),
          use(created_at, "created_at"), into(id);
      std::string token = verification.token;
      int verified = verification.is_verified ? 1 : 0;
      long long expires_at = micros(verification.expires_at);
      session_ << "INSERT INTO winner_verifications (winner_id, verification_token, is_verified, "
                  "expires_at) VALUES (:winner, :token, :verified, lottery_ts(:expires_at))",
          use(id, "winner"), use(token, "token"), use(verified, "verified"),
          use(expires_at, "expires_at");
      return WinnerId{id};
    });
  }

  std::optional<Winner> find(WinnerId id) override {
    // Every press of a win's button.
    static const HotStatement hot{"lottery_find_win",
                                  std::string(kWinnerColumns) + "WHERE id = :key"};
    return guarded([&] { return first_row(session_, hot, {{"key", id.value()}}, winner_from); });
  }

  std::optional<WinnerVerification> verification(WinnerId id) override {
    return guarded([&]() -> std::optional<WinnerVerification> {
      long long key = id.value();
      Rows rows(session_,
                "SELECT winner_id, verification_token, lottery_flag(is_verified) AS is_verified, "
                "lottery_us(expires_at) AS expires_at_us, lottery_us(verified_at) AS "
                "verified_at_us, verified_by "
                "FROM winner_verifications WHERE winner_id = :key",
                use(key, "key"));
      for (const auto& row : rows) {
        std::optional<TelegramUserId> by;
        if (const auto admin = optional_integer(row, "verified_by")) by = TelegramUserId{*admin};
        return WinnerVerification{
            WinnerId{integer(row, "winner_id")},     text(row, "verification_token"),
            integer(row, "is_verified") != 0,        instant(row, "expires_at_us"),
            optional_instant(row, "verified_at_us"), by};
      }
      return std::nullopt;
    });
  }

  std::vector<Winner> list_by_lottery(LotteryId lottery) override {
    long long key = lottery.value();
    return select(std::string(kWinnerColumns) + "WHERE lottery_id = :key ORDER BY place, round",
                  key);
  }

  std::vector<Winner> list_by_user(UserId user) override {
    // A client's /my_account.
    static const HotStatement hot{
        "lottery_wins_by_user",
        std::string(kWinnerColumns) + "WHERE user_id = :key ORDER BY created_at DESC, id DESC"};
    return guarded([&] {
      std::vector<Winner> winners;
      Rows rows(session_, hot, {{"key", user.value()}});
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  std::vector<Winner> open_by_account(AccountId account) override {
    long long key = account.value();
    return select(std::string(kWinnerColumns) +
                      "WHERE account_id = :key AND status IN ('pending', 'expired') ORDER BY id",
                  key);
  }

  std::vector<AccountId> winning_accounts(LotteryId lottery) override {
    return guarded([&] {
      long long key = lottery.value();
      std::vector<AccountId> accounts;
      Rows rows(session_,
                "SELECT DISTINCT account_id FROM winners WHERE lottery_id = :key "
                "ORDER BY account_id",
                use(key, "key"));
      for (const auto& row : rows) accounts.emplace_back(integer(row, "account_id"));
      return accounts;
    });
  }

  std::vector<Winner> due_for_expiry(Instant now, std::size_t limit) override {
    return guarded([&] {
      long long at = micros(now);
      long long most = static_cast<long long>(limit);
      std::vector<Winner> winners;
      Rows rows(session_,
                std::string(kWinnerColumns) +
                    "WHERE status = 'pending' AND deadline <= lottery_ts(:now) "
                    "ORDER BY deadline, id LIMIT :most",
                use(at, "now"), use(most, "most"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  std::vector<Winner> due_for_reminder(Instant now, std::size_t limit) override {
    return guarded([&] {
      long long at = micros(now);
      long long again = micros(now);
      long long most = static_cast<long long>(limit);
      std::vector<Winner> winners;
      Rows rows(session_,
                std::string(kWinnerColumns) +
                    "WHERE status = 'pending' AND reminded = FALSE "
                    "AND remind_at <= lottery_ts(:now) "
                    "AND deadline > lottery_ts(:again) "
                    "ORDER BY remind_at, id LIMIT :most",
                use(at, "now"), use(again, "again"), use(most, "most"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  bool claim(WinnerId id, Instant now, ClaimMethod how,
             std::optional<TelegramUserId> admin) override {
    // Every confirm press; claim-once is the status condition and the affected rows.
    static const HotStatement claim_win{
        "lottery_claim_win",
        "UPDATE winners SET status = 'claimed', is_claimed = TRUE, "
        "claimed_at = lottery_ts(:at), claimed_how = :how "
        "WHERE id = :id AND status = 'pending' AND deadline > lottery_ts(:before)"};
    static const HotStatement verified{
        "lottery_claim_verified",
        "UPDATE winner_verifications SET is_verified = TRUE, "
        "verified_at = lottery_ts(:at), verified_by = :by WHERE winner_id = :id"};
    return guarded([&] {
      const long long at = micros(now);
      if (execute_hot(session_, claim_win,
                      {{"at", at},
                       {"how", std::string(to_string(how))},
                       {"id", id.value()},
                       {"before", at}}) != 1) {
        return false;
      }
      (void)execute_hot(session_, verified,
                        {{"at", at}, {"by", id_or_null(admin)}, {"id", id.value()}});
      return true;
    });
  }

  bool expire(WinnerId id, Instant now) override {
    return guarded([&] {
      long long key = id.value();
      long long at = micros(now);
      return changed(session_,
                     "UPDATE winners SET status = 'expired' WHERE id = :id "
                     "AND status = 'pending' AND deadline <= lottery_ts(:at)",
                     use(key, "id"), use(at, "at"));
    });
  }

  bool mark_redrawn(WinnerId id) override {
    return guarded([&] {
      long long key = id.value();
      return changed(session_,
                     "UPDATE winners SET status = 'redrawn' WHERE id = :id "
                     "AND status = 'expired'",
                     use(key, "id"));
    });
  }

  bool extend(WinnerId id, Instant deadline, Instant remind_at, const std::string& token) override {
    return guarded([&] {
      long long key = id.value();
      long long until = micros(deadline);
      long long remind = micros(remind_at);
      if (!changed(session_,
                   "UPDATE winners SET status = 'pending', "
                   "deadline = lottery_ts(:until), "
                   "remind_at = lottery_ts(:remind), reminded = FALSE "
                   "WHERE id = :id AND status IN ('pending', 'expired')",
                   use(until, "until"), use(remind, "remind"), use(key, "id"))) {
        return false;
      }
      std::string renewed = token;
      session_ << "UPDATE winner_verifications SET expires_at = lottery_ts(:until), "
                  "verification_token = :token, is_verified = FALSE, verified_at = NULL, "
                  "verified_by = NULL WHERE winner_id = :id",
          use(until, "until"), use(renewed, "token"), use(key, "id");
      return true;
    });
  }

  bool mark_reminded(WinnerId id) override {
    return guarded([&] {
      long long key = id.value();
      return changed(session_,
                     "UPDATE winners SET reminded = TRUE WHERE id = :id "
                     "AND status = 'pending' AND reminded = FALSE",
                     use(key, "id"));
    });
  }

  bool mark_prize_given(WinnerId id, Instant at) override {
    return guarded([&] {
      long long key = id.value();
      long long when = micros(at);
      return changed(session_,
                     "UPDATE winners SET prize_given_at = lottery_ts(:at) "
                     "WHERE id = :id AND status = 'claimed' "
                     "AND prize_given_at IS NULL",
                     use(when, "at"), use(key, "id"));
    });
  }

  void start_challenge(const SmsChallenge& challenge) override {
    guarded([&] {
      long long key = challenge.winner.value();
      long long user = challenge.user.value();
      std::string code = challenge.code;
      long long expires = micros(challenge.expires_at);
      int attempts = challenge.attempts_left;
      long long created = micros(challenge.created_at);
      int sent = challenge.codes_sent;
      int guesses = challenge.guesses;
      session_ << "INSERT INTO win_challenges (winner_id, user_id, code, expires_at, "
                  "attempts_left, created_at, codes_sent, guesses) VALUES (:id, :user, :code, "
                  "lottery_ts(:expires), :attempts, lottery_ts(:created), :sent, :guesses) "
                  "ON CONFLICT (winner_id) DO UPDATE SET user_id = excluded.user_id, code = "
                  "excluded.code, expires_at = excluded.expires_at, attempts_left = "
                  "excluded.attempts_left, created_at = excluded.created_at, codes_sent = "
                  "excluded.codes_sent, guesses = excluded.guesses",
          use(key, "id"), use(user, "user"), use(code, "code"), use(expires, "expires"),
          use(attempts, "attempts"), use(created, "created"), use(sent, "sent"),
          use(guesses, "guesses");
    });
  }

  std::optional<SmsChallenge> challenge(WinnerId id) override {
    return guarded([&]() -> std::optional<SmsChallenge> {
      long long key = id.value();
      Rows rows(session_,
                "SELECT winner_id, user_id, code, lottery_us(expires_at) AS expires_at_us, "
                "attempts_left, lottery_us(created_at) AS created_at_us, codes_sent, guesses "
                "FROM win_challenges WHERE winner_id = :key",
                use(key, "key"));
      for (const auto& row : rows) {
        return SmsChallenge{WinnerId{integer(row, "winner_id")},
                            UserId{integer(row, "user_id")},
                            text(row, "code"),
                            instant(row, "expires_at_us"),
                            static_cast<int>(integer(row, "attempts_left")),
                            instant(row, "created_at_us"),
                            static_cast<int>(integer(row, "codes_sent")),
                            static_cast<int>(integer(row, "guesses"))};
      }
      return std::nullopt;
    });
  }

  bool spend_attempt(WinnerId id) override {
    return guarded([&] {
      long long key = id.value();
      return changed(session_,
                     "UPDATE win_challenges SET attempts_left = attempts_left - 1, "
                     "guesses = guesses + 1 WHERE winner_id = :id AND attempts_left > 0",
                     use(key, "id"));
    });
  }

  void end_challenge(WinnerId id) override {
    guarded([&] {
      long long key = id.value();
      session_ << "UPDATE win_challenges SET attempts_left = 0 WHERE winner_id = :id",
          use(key, "id");
    });
  }

  bool set_user(WinnerId id, UserId user) override {
    return guarded([&] {
      long long key = id.value();
      long long owner = user.value();
      return changed(session_,
                     "UPDATE winners SET user_id = :user WHERE id = :id "
                     "AND status IN ('pending', 'expired')",
                     use(owner, "user"), use(key, "id"));
    });
  }

 private:
  // Runs a conditional change; true when it touched exactly one row.
  std::vector<Winner> select(const std::string& sql, long long& key) {
    return guarded([&] {
      std::vector<Winner> winners;
      Rows rows(session_, sql, use(key, "key"));
      for (const auto& row : rows) winners.push_back(winner_from(row));
      return winners;
    });
  }

  soci::session& session_;
};

}  // namespace

std::unique_ptr<WinnerRepository> make_winners(soci::session& session) {
  return std::make_unique<SqlWinners>(session);
}

}  // namespace lottery::db
