#pragma once

// What lotteryctl's commands share, and the handler of each command: main.cpp's command
// table dispatches to them. Messages are in Russian: the club's admins run it.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lottery/core/dependencies.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/db/database.hpp"
#include "lottery/ports/time_zone.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "table.hpp"

namespace lottery::ctl {

// Exit codes.
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;  // the command failed, or found what it checks wrong
inline constexpr int kUsage = 2;   // the command line is wrong; nothing was done

// A command as typed: the database it names and the words after the command's name.
struct Invocation {
  std::string database_url;
  std::vector<std::string> arguments;
  // TIME_ZONE, as the bot reads it: the zone of the times in tables meant for people
  // (CSV stays in UTC). Looked up only by the commands that show times (zone_of).
  std::string zone_name;
};

// The invocation's zone; throws BadTimeZone when the tz database has no such zone.
class BadTimeZone : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
[[nodiscard]] std::unique_ptr<TimeZone> zone_of(const Invocation& invocation);

// A database URL that cannot be read: a usage error, said without the help's hint.
class BadDatabaseUrl : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Opens the invocation's database (main.cpp); only `migrate` may create a SQLite file
// that is not there yet. Throws BadDatabaseUrl, or StorageError naming what failed.
[[nodiscard]] std::unique_ptr<db::Database> open_database(const Invocation& invocation,
                                                          bool may_create = false);

// The real clock and randomness, for the use cases a command calls as the operator; it
// must outlive the services built from its dependencies.
class SystemPorts {
 public:
  [[nodiscard]] Dependencies dependencies(db::Database& database) {
    return Dependencies{database, clock_, random_, draw_randomness_, Settings{}};
  }

 private:
  system::SystemClock clock_;
  system::SecureRandom random_;
  system::HmacDrawRandomness draw_randomness_;
};

// Says what is wrong with the command line, and where the help is; returns kUsage.
int usage_error(const std::string& message);
// Says that the lottery does not exist; returns kFailed.
int lottery_not_found(LotteryId id);
// A command that reads or changes data needs the current schema; says so rather than
// fail obscurely.
[[nodiscard]] bool require_current_schema(db::Database& database);
// A lottery's number as typed: a positive integer, nothing else.
[[nodiscard]] std::optional<LotteryId> parse_lottery(const std::string& text);
// How a table shows times: in CSV as ISO 8601 UTC (machines read it), aligned for
// people in the club's zone (R-TIME-1).
struct TimeShown {
  bool csv{false};
  const TimeZone& zone;

  [[nodiscard]] std::string operator()(Instant at) const;
  // "Срок (UTC)" in CSV, "Срок" otherwise (each time names its zone).
  [[nodiscard]] std::string header(const std::string& name) const;
};

// A report as CSV, or aligned for reading ("Нет данных." when empty); returns kOk.
int print_table(const Table& table, bool csv);

// The published draw of a lottery, from the database (verify.cpp); `drawn` tells whether
// it was drawn as a verifiable draw.
[[nodiscard]] std::optional<PublishedDraw> load_draw(db::Database& database, LotteryId id,
                                                     bool& drawn);

// The commands, each checking all its arguments before it touches the database; each
// returns the exit code.
int run_migrate(const Invocation& invocation);      // maintenance.cpp
int run_clear_db(const Invocation& invocation);     // maintenance.cpp
int run_report(const Invocation& invocation);       // reports.cpp
int run_export(const Invocation& invocation);       // reports.cpp
int run_audit(const Invocation& invocation);        // audit.cpp
int run_import(const Invocation& invocation);       // import.cpp
int run_verify_draw(const Invocation& invocation);  // verify.cpp

}  // namespace lottery::ctl
