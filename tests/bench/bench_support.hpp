#pragma once

// What the update benchmarks share: the club's numbering, waiting, and reading the
// CPU and memory of processes from /proc.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fake_telegram.hpp"
#include "lottery/core/dependencies.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing::bench {

// The system's clock and randomness and settings with one admin, for setting a club up
// through the core before a benchmark.
struct CorePorts {
  explicit CorePorts(std::int64_t admin) { settings.admins = {TelegramUserId{admin}}; }
  [[nodiscard]] Dependencies dependencies(TransactionManager& transactions) {
    return Dependencies{transactions, clock, random, cryptography, settings};
  }
  system::SystemClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness cryptography;
  Settings settings;
};

using Clock = std::chrono::steady_clock;

[[nodiscard]] double seconds_since(Clock::time_point start);

// The chat a Bot API request is addressed to (its "chat_id"), 0 when none.
[[nodiscard]] std::int64_t chat_of(const std::string& body);

// A client's club card, and the account numbers of the form 50-00-…, one per `series`.
[[nodiscard]] std::string card_of(int client);
[[nodiscard]] std::string account_of(int client, int series = 0);

// A pending win and who may press its button: the winner's Telegram id, the win's id.
using Press = std::pair<std::int64_t, std::int64_t>;
// A lottery of Lottery::kMaxPlaces places with every active account entered, drawn;
// each of its wins as a press. Throws when a step fails.
[[nodiscard]] std::vector<Press> draw_full_lottery(const Dependencies& deps,
                                                   TestDatabase& database);

// Waits for `condition`, polling; throws after ten minutes.
void wait_for(const std::function<bool()>& condition, const char* what);

// User and system CPU seconds a process has used (with its reaped children: `children`).
[[nodiscard]] double cpu_seconds(int pid, bool children = false);
// The process's peak resident memory (VmHWM), KiB.
[[nodiscard]] long peak_rss_kib(int pid);
// CPU seconds of the test PostgreSQL: its main process (LOTTERY_TEST_POSTGRES_PID),
// the children it reaped and those alive now (the backends of the connections) but
// the backends in `except` (the benchmark's own connections).
[[nodiscard]] double postgres_cpu_seconds(const std::vector<int>& except = {});

// pgbench -N (TPC-B without the contended updates) with `clients` connections, 15 s,
// on the test server; transactions per second.
[[nodiscard]] double pgbench_tps(int clients);

[[nodiscard]] double percentile(std::vector<double> values, double fraction);

// The real lottery-bot (build/bin) on `database_url`, polling `fake` with the benchmark's
// token, with `settings` added to its environment (the admin, the pool, the send rate);
// returns once it polls, or throws after 30 s. Its log goes to `log`.
[[nodiscard]] std::unique_ptr<ChildProcess> start_bot(FakeTelegram& fake,
                                                      const std::string& database_url,
                                                      EnvironmentChanges settings,
                                                      const std::string& log);

// The token start_bot gives the bot.
inline constexpr const char* kBenchToken = "123456789:AAH-bench_token_for_the_fake_server";

}  // namespace lottery::testing::bench
