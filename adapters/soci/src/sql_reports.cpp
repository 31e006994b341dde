// The Reports port on SOCI (PostgreSQL and SQLite).
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

// Reports

class SqlReports : public ReportQueries {
 public:
  explicit SqlReports(soci::session& session) : session_(session) {}

  std::vector<WinnersByCardRow> winners_by_card() override {
    return guarded([&] {
      std::vector<WinnersByCardRow> report;
      Rows rows(session_,
                "SELECT u.club_card_number, u.first_name, count(w.id), "
                "count(CASE WHEN w.status = 'claimed' THEN 1 END) "
                "FROM users u JOIN winners w ON w.user_id = u.id "
                "WHERE u.club_card_number IS NOT NULL "
                "GROUP BY u.id, u.club_card_number, u.first_name ORDER BY u.club_card_number");
      for (const auto& row : rows) {
        report.push_back(WinnersByCardRow{must(ClubCard::from_storage(text(row, 0)), "card"),
                                          text(row, 1), integer(row, 2), integer(row, 3)});
      }
      return report;
    });
  }

  std::vector<TopAccountRow> top_accounts(std::size_t limit) override {
    return guarded([&] {
      long long most = static_cast<long long>(limit);
      std::vector<TopAccountRow> report;
      Rows rows(session_,
                "SELECT a.account_number, u.club_card_number, count(*) AS entries "
                "FROM participations p JOIN accounts a ON a.id = p.account_id "
                "LEFT JOIN users u ON u.id = a.owner_id "
                "GROUP BY a.id, a.account_number, u.club_card_number "
                "ORDER BY entries DESC, a.account_number LIMIT :most",
                use(most, "most"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, 1))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(TopAccountRow{must(AccountNumber::parse(text(row, 0)), "account number"),
                                       card, integer(row, 2)});
      }
      return report;
    });
  }

  std::vector<UnclaimedRow> unclaimed_past_window(Instant now) override {
    return guarded([&] {
      long long at = micros(now);
      std::vector<UnclaimedRow> report;
      Rows rows(session_,
                "SELECT l.id, l.title, w.id, w.place, w.prize, w.account_number, "
                "u.club_card_number, lottery_us(w.created_at) "
                "FROM winners w JOIN lotteries l ON l.id = w.lottery_id "
                "LEFT JOIN users u ON u.id = w.user_id "
                "WHERE w.status IN ('pending', 'expired') "
                "AND lottery_us(w.created_at) + l.claim_window_seconds * 1000000 < :now "
                "ORDER BY w.created_at, w.id",
                use(at, "now"));
      for (const auto& row : rows) {
        std::optional<ClubCard> card;
        if (const auto value = optional_text(row, 6))
          card = must(ClubCard::from_storage(*value), "card");
        report.push_back(UnclaimedRow{
            LotteryId{integer(row, 0)}, text(row, 1), WinnerId{integer(row, 2)},
            static_cast<int>(integer(row, 3)), text(row, 4),
            must(AccountNumber::parse(text(row, 5)), "account number"), card, instant(row, 7)});
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
