#pragma once

// What the lotteryctl end-to-end tests share: running the executable, measuring it,
// and the fixture that runs each test on SQLite and on PostgreSQL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "fakes/fake_clock.hpp"
#include "fakes/seeded_random.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {

inline const std::string kLotteryctl = std::string(LOTTERY_BIN_DIR) + "/lotteryctl";

inline ProcessResult lotteryctl(const std::vector<std::string>& arguments,
                                const EnvironmentChanges& environment = {{"DATABASE_URL",
                                                                          std::nullopt}},
                                const std::string& input = {}) {
  std::vector<std::string> argv{kLotteryctl};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, environment, input);
}

// Under a sanitizer the executable's memory says nothing about the code's.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The peak resident set an import may reach, whatever the file (the batches bound it).
constexpr long kImportPeakKib = 64L * 1024;

// A file under /tmp for this test process, removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& name)
      : path("/tmp/lotteryctl-" + name + "-" + std::to_string(::getpid())) {}
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path;
};

struct MeasuredRun {
  ProcessResult result;
  long peak_rss_kib{0};
};

// lotteryctl run by a Python wrapper that writes down its peak resident set size (the
// rusage of the wrapper's only child), which the test support cannot measure.
inline MeasuredRun lotteryctl_measured(const std::vector<std::string>& arguments,
                                       const EnvironmentChanges& environment) {
  static constexpr const char* kWrapper = R"(import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code if code >= 0 else 128 - code))";
  const TempFile peak("peak-rss");
  std::vector<std::string> argv{"/usr/bin/python3", "-c", kWrapper, peak.path, kLotteryctl};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  MeasuredRun run{run_process(argv, environment), 0};
  std::ifstream(peak.path) >> run.peak_rss_kib;
  EXPECT_GT(run.peak_rss_kib, 0) << run.result.err;
  return run;
}

inline bool has_control_bytes(const std::string& text) {
  return text.find('\0') != std::string::npos || text.find('\x1b') != std::string::npos;
}

struct DialectCase {
  const char* name;
  db::Dialect dialect;
  friend void PrintTo(const DialectCase& value, std::ostream* out) { *out << value.name; }
};

class LotteryctlOnDatabase : public ::testing::TestWithParam<DialectCase> {
 protected:
  std::unique_ptr<TestDatabase> database(bool migrate = true) {
    return GetParam().dialect == db::Dialect::kPostgresql ? make_postgres_database(migrate)
                                                          : make_sqlite_database(migrate);
  }

  static EnvironmentChanges environment_for(const TestDatabase& database) {
    return {{"DATABASE_URL", database.url_text()}};
  }

  // One registered client with a claimed win, and an unclaimed ownerless win.
  static void fill(TestDatabase& database) {
    FakeClock clock;
    SeededRandom random(1);
    SeededDrawRandomness draw_randomness;
    const Dependencies deps{database, clock, random, draw_randomness, Settings{}};
    const auto card = ClubCard::parse("2223").value();
    ASSERT_TRUE(RegistrationService(deps).register_user(
        RegistrationRequest{TelegramUserId{1}, "anna", "Анна", card, std::nullopt}));
    AccountService accounts(deps);
    LotteryService lotteries(deps);
    const auto mine = accounts.add_account(Requester::system(), card,
                                           AccountNumber::parse("11-22-33-44-55-66-77").value());
    const auto first = lotteries.create(Requester::system(), "Весна, 2026", {{1, "Чайник"}});
    const std::vector<AccountNumber> only_mine{mine->account.number};
    ASSERT_TRUE(lotteries.enrol(Requester::system(), first->id, only_mine));
    const auto won = lotteries.draw(Requester::system(), first->id);
    ASSERT_TRUE(ClaimService(deps).confirm_by_button(TelegramUserId{1}, won->winners.at(0).id));

    const auto other = accounts.add_account(Requester::system(), std::nullopt,
                                            AccountNumber::parse("99-99-99-99-99-99-99").value());
    const auto second = lotteries.create(Requester::system(), "Лето", {{1, "Велосипед"}});
    const std::vector<AccountNumber> both{other->account.number, mine->account.number};
    ASSERT_TRUE(lotteries.enrol(Requester::system(), second->id, both));
    ASSERT_TRUE(accounts.deactivate_account(Requester::system(), mine->account.number));
    ASSERT_TRUE(lotteries.draw(Requester::system(), second->id));
  }

  static long long lotteries_in(const TestDatabase& database) {
    return database.scalar("SELECT count(*) FROM lotteries");
  }
};

}  // namespace lottery::testing
