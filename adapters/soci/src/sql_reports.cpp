// The Reports port on SOCI (PostgreSQL and SQLite).
#include <algorithm>
#include <charconv>
#include <limits>
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

// Reports

class SqlReports : public ReportQueries {
 public:
  explicit SqlReports(soci::session& session) : session_(session) {}

  std::vector<WinnersByCardRow> winners_by_card() override {
    return guarded([&] {
      std::vector<WinnersByCardRow> report;
      // The notes' query, with the wins of no user kept as one row without a card.
      Rows rows(session_,
                "SELECT u.club_card_number AS club_card_number, u.first_name AS first_name, "
                "count(w.id) AS wins, count(CASE WHEN w.status = 'claimed' THEN 1 END) AS claimed "
                "FROM winners w LEFT JOIN users u ON u.id = w.user_id "
                "GROUP BY u.id, u.club_card_number, u.first_name "
                "ORDER BY u.club_card_number IS NULL, u.club_card_number, u.id");
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, "club_card_number")) {
          card = must(ClubCard::from_storage(*value), "card");
        }
        report.push_back(WinnersByCardRow{card, text(row, "first_name"), integer(row, "wins"),
                                          integer(row, "claimed")});
      }
      return report;
    });
  }

  std::vector<TopAccountRow> top_accounts(std::optional<std::size_t> limit) override {
    return guarded([&] {
      long long most = limit ? static_cast<long long>(*limit)
                             : std::numeric_limits<long long>::max();  // no LIMIT ALL in SQLite
      std::vector<TopAccountRow> report;
      Rows rows(
          session_,
          "SELECT a.account_number AS account_number, u.club_card_number AS club_card_number, "
          "count(*) AS entries "
          "FROM participations p JOIN accounts a ON a.id = p.account_id "
          "LEFT JOIN users u ON u.id = a.owner_id "
          "GROUP BY a.id, a.account_number, u.club_card_number "
          "ORDER BY entries DESC, a.account_number LIMIT :most",
          use(most, "most"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, "club_card_number"))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(
            TopAccountRow{must(AccountNumber::parse(text(row, "account_number")), "account number"),
                          card, integer(row, "entries")});
      }
      return report;
    });
  }

  std::vector<UnclaimedRow> unclaimed_past_deadline(Instant now) override {
    return guarded([&] {
      long long at = micros(now);
      std::vector<UnclaimedRow> report;
      Rows rows(session_,
                "SELECT l.id AS lottery_id, l.title AS title, w.id AS winner_id, w.place AS place, "
                "w.prize AS prize, w.account_number AS account_number, "
                "u.club_card_number AS club_card_number, lottery_us(w.created_at) AS drawn_at_us, "
                "lottery_us(w.deadline) AS deadline_us "
                "FROM winners w JOIN lotteries l ON l.id = w.lottery_id "
                "LEFT JOIN users u ON u.id = w.user_id "
                "WHERE w.status IN ('pending', 'expired') AND w.deadline <= lottery_ts(:now) "
                "ORDER BY w.deadline, w.id",
                use(at, "now"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, "club_card_number"))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(
            UnclaimedRow{LotteryId{integer(row, "lottery_id")}, text(row, "title"),
                         WinnerId{integer(row, "winner_id")},
                         static_cast<int>(integer(row, "place")), text(row, "prize"),
                         must(AccountNumber::parse(text(row, "account_number")), "account number"),
                         card, instant(row, "drawn_at_us"), instant(row, "deadline_us")});
      }
      return report;
    });
  }

 private:
  soci::session& session_;
};

}  // namespace

std::unique_ptr<ReportQueries> make_reports(soci::session& session) {
  return std::make_unique<SqlReports>(session);
}

}  // namespace lottery::db
