#include "bench_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "lottery/core/lottery_service.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing::bench {
namespace {

// The fields of /proc/PID/stat after the command name (field 3 is the first).
std::vector<std::string> stat_fields(const std::string& path) {
  std::ifstream stat(path);
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields{"", "", ""};
  const auto name_end = text.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream rest(text.substr(name_end + 2));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double ticks_to_seconds(double ticks) {
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::int64_t chat_of(const std::string& body) {
  const auto at = body.find("\"chat_id\":");
  if (at == std::string::npos) return 0;
  std::int64_t chat = 0;
  const char* begin = body.data() + at + 10;
  std::from_chars(begin, body.data() + body.size(), chat);
  return chat;
}

std::string card_of(int client) { return std::to_string(100'000 + client); }

std::string account_of(int client, int series) {
  const std::string digits =
      std::to_string(50'000'000'000'000 + series * 1'000'000'000'000LL + client);
  std::string number;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    number += (i == 0 ? "" : "-") + digits.substr(i, 2);
  }
  return number;
}

void wait_for(const std::function<bool()>& condition, const char* what) {
  const auto limit = Clock::now() + std::chrono::minutes{10};
  while (!condition()) {
    if (Clock::now() > limit) throw std::runtime_error(std::string("timed out: ") + what);
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

double cpu_seconds(int pid, bool children) {
  const auto fields = stat_fields("/proc/" + std::to_string(pid) + "/stat");
  if (fields.size() < 18) return 0;
  double ticks = std::stod(fields[14]) + std::stod(fields[15]);
  if (children) ticks += std::stod(fields[16]) + std::stod(fields[17]);
  return ticks_to_seconds(ticks);
}

long peak_rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

double postgres_cpu_seconds(const std::vector<int>& except) {
  const char* main_pid = std::getenv("LOTTERY_TEST_POSTGRES_PID");
  if (main_pid == nullptr) throw std::runtime_error("LOTTERY_TEST_POSTGRES_PID is not set");
  const int server = std::stoi(main_pid);
  double seconds = cpu_seconds(server, true);
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto fields = stat_fields(entry.path().string() + "/stat");
    if (fields.size() < 18 || fields[4] != std::to_string(server)) continue;  // 4: parent
    if (std::find(except.begin(), except.end(), std::stoi(name)) != except.end()) continue;
    seconds += ticks_to_seconds(std::stod(fields[14]) + std::stod(fields[15]));
  }
  return seconds;
}

double pgbench_tps(int clients) {
  std::string base = postgres_base_url();
  const auto database_at = base.rfind('/');
  const std::string url = base.substr(0, database_at) + "/lottery_pgbench";
  (void)run_process({"/usr/bin/psql", "-q", base, "-c", "DROP DATABASE IF EXISTS lottery_pgbench"});
  const auto created =
      run_process({"/usr/bin/psql", "-q", base, "-c", "CREATE DATABASE lottery_pgbench"});
  if (created.exit_code != 0) throw std::runtime_error("pgbench: " + created.err);
  const auto initialised = run_process({"/usr/bin/pgbench", "-i", "-q", "-s", "10", url}, {}, {},
                                       std::chrono::seconds{300});
  if (initialised.exit_code != 0) throw std::runtime_error("pgbench -i: " + initialised.err);
  const auto measured = run_process(
      {"/usr/bin/pgbench", "-N", "-c", std::to_string(clients), "-j", "2", "-T", "15", url}, {}, {},
      std::chrono::seconds{120});
  if (measured.exit_code != 0) throw std::runtime_error("pgbench: " + measured.err);
  const auto at = measured.out.find("tps = ");
  if (at == std::string::npos) throw std::runtime_error("pgbench: no tps in " + measured.out);
  (void)run_process({"/usr/bin/psql", "-q", base, "-c", "DROP DATABASE lottery_pgbench"});
  return std::stod(measured.out.substr(at + 6));
}

std::unique_ptr<ChildProcess> start_bot(FakeTelegram& fake, const std::string& database_url,
                                        EnvironmentChanges settings, const std::string& log) {
  settings["TELEGRAM_BOT_TOKEN"] = kBenchToken;
  settings["TELEGRAM_API_URL"] = fake.base_url();
  settings["DATABASE_URL"] = database_url;
  settings["LOG_LEVEL"] = "warn";
  const auto started = Clock::now();
  auto bot = std::make_unique<ChildProcess>(
      std::vector<std::string>{std::string(LOTTERY_BIN_DIR) + "/lottery-bot"}, settings, log);
  const bool polling = fake.wait_until(
      [&](const FakeTelegram& telegram) {
        const auto polled = telegram.last_call("getUpdates");
        return polled && *polled > started;
      },
      std::chrono::seconds{30});
  if (!polling) throw std::runtime_error("the bot did not start: " + bot->log());
  return bot;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

std::vector<Press> draw_full_lottery(const Dependencies& deps, TestDatabase& database) {
  LotteryService lotteries(deps);
  std::vector<Prize> prizes;
  for (int place = 1; place <= Lottery::kMaxPlaces; ++place) prizes.push_back({place, "Приз"});
  const auto lottery = lotteries.create(Requester::system(), "Бенчмарк", prizes);
  if (!lottery || !lotteries.enrol_all_active(Requester::system(), lottery->id)) {
    throw std::runtime_error("setup: a lottery failed");
  }
  const auto drawn = lotteries.draw(Requester::system(), lottery->id);
  if (!drawn) throw std::runtime_error("setup: a draw failed");
  std::vector<Press> presses;
  auto transaction = database.begin();
  for (const Winner& win : drawn->winners) {
    const auto owner = transaction->users().find(*win.user);
    presses.emplace_back(owner->telegram_id.value(), win.id.value());
  }
  return presses;
}

}  // namespace lottery::testing::bench
