// The cost of one update (docs/PERFORMANCE.md): the real lottery-bot, polling our fake
// Bot API, on a throwaway PostgreSQL 15 and on SQLite, three rounds each. For every
// workload: updates per second, the bot's CPU and PostgreSQL's CPU per update (from
// /proc: the server's main process, its live children and the children it reaped),
// PostgreSQL's share of a core, the statements per update (pg_stat_statements) and the
// round trips per update (the data segments the bot sent to the server, from the
// kernel's TCP counters through `ss`), and the bot's peak RSS; pgbench beside them.
//
// Workloads, 5,000 registered clients with two accounts each:
//   my_account/outstanding  20,000 /my_account, each chat sending its next one only when
//                           the reply to the last one reached the fake (4 per chat);
//   my_account/queued       the same 20,000 queued at once;
//   confirm/burst           1,000 presses of «Подтвердить» on 1,000 pending wins, queued
//                           at once, until every press is answered and every message
//                           they cause is delivered.
//
// Run by `make bench` (scripts/with-postgres provides the server and its process id).
// LOTTERY_BENCH_STORE=postgresql or =sqlite runs one store only (for an experiment).

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "fake_telegram.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/db/database_url.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing::bench {
namespace {

constexpr std::int64_t kAdmin = 999'999;
constexpr int kChats = 5'000;
constexpr int kPerChat = 4;
constexpr int kUpdates = kChats * kPerChat;
constexpr int kPresses = 1'000;
constexpr int kRounds = 3;
constexpr int kPoolSize = 4;  // the bot's database connections (its default)

// The SQL the benchmark itself runs on the bot's database is tagged, and left out of the
// statement counts.
constexpr const char* kProbeTag = "/* bench_probe */ ";

struct Club {
  std::unique_ptr<TestDatabase> database;
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> presses;  // per round
};

VerificationCode code_for(int client) {
  std::string text(VerificationCode::kLength, VerificationCode::kAlphabet[0]);
  auto value = static_cast<std::size_t>(client);
  for (std::size_t i = text.size(); i-- > 0 && value > 0;) {
    text[i] = VerificationCode::kAlphabet[value % VerificationCode::kAlphabet.size()];
    value /= VerificationCode::kAlphabet.size();
  }
  return VerificationCode::parse(text).value();
}

// The clients, their accounts, and per round ten drawn lotteries of 100 places whose
// wins the confirm burst presses.
Club make_club(bool postgres) {
  Club club{
      postgres ? make_postgres_database(true, kPoolSize) : make_sqlite_database(true, kPoolSize),
      {}};
  CorePorts ports(kAdmin);
  const Dependencies deps = ports.dependencies(*club.database);
  {
    auto transaction = club.database->begin();
    for (int client = 1; client <= kChats; ++client) {
      User user;
      user.telegram_id = TelegramUserId{client};
      user.first_name = "Клиент " + std::to_string(client);
      user.club_card = ClubCard::parse(card_of(client)).value();
      user.is_registered = true;
      user.verification_code = code_for(client);
      user.created_at = ports.clock.now();
      if (!transaction->users().insert(user)) throw std::runtime_error("setup: a client failed");
    }
    transaction->commit();
  }
  std::vector<ImportLine> lines;
  for (int series = 0; series < 2; ++series) {
    for (int client = 1; client <= kChats; ++client) {
      lines.push_back(ImportLine{lines.size() + 1,
                                 "",
                                 {AccountNumber::parse(account_of(client, series)).value(),
                                  ClubCard::parse(card_of(client)).value()}});
    }
  }
  if (!AccountService(deps).import_accounts(Requester::system(), lines, std::nullopt)) {
    throw std::runtime_error("setup: accounts failed");
  }
  for (int round = 0; round < kRounds; ++round) {
    auto& presses = club.presses.emplace_back();
    while (presses.size() < kPresses) {
      const auto drawn = draw_full_lottery(deps, *club.database);
      presses.insert(presses.end(), drawn.begin(), drawn.end());
    }
  }
  // The draws' notifications are not part of what is measured.
  club.database->execute("UPDATE outbox SET sent_at = created_at");
  return club;
}

// The database as the benchmark sees it while the bot runs: one connection each, kept
// open so that probing costs no new server process.
class Probe {
 public:
  explicit Probe(const TestDatabase& database)
      : postgres_(database.url().dialect == db::Dialect::kPostgresql) {
    if (postgres_) {
      bot_database_.open(*soci::factory_postgresql(), database.url().connect_string);
      statistics_.open(*soci::factory_postgresql(),
                       db::parse_database_url(postgres_base_url()).value().connect_string);
      bot_database_ << "SELECT pg_backend_pid()", soci::into(backends_.emplace_back());
      statistics_ << "SELECT pg_backend_pid()", soci::into(backends_.emplace_back());
      const auto port_at = database.url_text().rfind(':');
      port_ = std::stoi(database.url_text().substr(port_at + 1));
    } else {
      bot_database_.open(*soci::factory_sqlite3(), database.url().connect_string);
    }
  }

  [[nodiscard]] bool postgres() const { return postgres_; }
  // The server processes of the probe's own connections, left out of the server's CPU.
  [[nodiscard]] const std::vector<int>& backends() const { return backends_; }

  long long scalar(const std::string& query) {
    long long value = 0;
    bot_database_ << kProbeTag + query, soci::into(value);
    return value;
  }

  // Nothing for a client left to send (the admin's chat is left out: its messages go at
  // Telegram's one a second per chat, whatever the bot's speed).
  bool outbox_drained() {
    return scalar(
               "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL "
               "AND chat_id <> " +
               std::to_string(kAdmin)) == 0;
  }

  void reset_statements() {
    if (postgres_) statistics_ << "SELECT pg_stat_statements_reset()";
  }

  // Statements the bot ran since the reset.
  long long statements() {
    if (!postgres_) return 0;
    long long calls = 0;
    statistics_ << std::string("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements ") +
                       kTheBots,
        soci::into(calls);
    return calls;
  }

  // The statements the bot ran since the reset, most frequent first.
  void print_statements(int updates) {
    if (!postgres_) return;
    soci::rowset<soci::row> rows =
        (statistics_.prepare << "SELECT calls::bigint, total_exec_time, "
                                "left(regexp_replace(query, '\\s+', ' ', 'g'), 96) "
                                "FROM pg_stat_statements "
                             << kTheBots << " ORDER BY calls DESC, total_exec_time DESC LIMIT 30");
    std::printf("    %8s %9s  %s\n", "per upd.", "µs each", "statement");
    for (const soci::row& row : rows) {
      const auto calls = row.get<long long>(0);
      std::printf("    %8.3f %9.1f  %s\n", static_cast<double>(calls) / updates,
                  row.get<double>(1) * 1000.0 / static_cast<double>(calls),
                  row.get<std::string>(2).c_str());
    }
  }

  // Data segments the bot process has sent to the server (one per request it flushed).
  long long round_trips(int bot_pid) const {
    if (!postgres_) return 0;
    const auto listed = run_process(
        {"/usr/bin/ss", "-tinpH", "state", "established", "dport", "= :" + std::to_string(port_)});
    long long segments = 0;
    const std::string owner = "pid=" + std::to_string(bot_pid) + ",";
    const std::regex sent(R"(data_segs_out:(\d+))");
    std::istringstream lines(listed.out);
    bool ours = false;
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line[0] != ' ' && line[0] != '\t') {
        ours = line.find(owner) != std::string::npos;
      } else if (std::smatch match; ours && std::regex_search(line, match, sent)) {
        segments += std::stoll(match[1]);
      }
    }
    return segments;
  }

 private:
  // The bot's schema is in the test server's database, beside the benchmark's own
  // connections; their statements are told apart by text. Left out too: the bodies of
  // the adapter's time functions (lottery_ts, lottery_us), which the planner evaluates
  // on its own when their argument is a constant; the server counts each such
  // evaluation as a statement, but no client sent it.
  static constexpr const char* kTheBots =
      "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND query NOT LIKE '%bench_probe%' AND query NOT LIKE '%pg_stat_statements%' "
      "AND query NOT LIKE 'SELECT TIMESTAMPTZ %' AND query NOT LIKE 'SELECT (TIMESTAMP %' "
      "AND query NOT LIKE 'SELECT (EXTRACT(EPOCH %'";

  bool postgres_;
  soci::session bot_database_;
  soci::session statistics_;
  std::vector<int> backends_;
  int port_{0};
};

struct Cost {
  double per_second{0};
  double bot_cpu_ms{0};
  double postgres_cpu_ms{0};
  double postgres_share{0};  // of one core, during the run
  double statements{0};
  double round_trips{0};
};

// Measures `run` (which returns when its `updates` are done).
Cost measure(Probe& probe, int bot_pid, int updates, const std::function<void()>& run) {
  probe.reset_statements();
  const long long trips_before = probe.round_trips(bot_pid);
  const double postgres_before = probe.postgres() ? postgres_cpu_seconds(probe.backends()) : 0;
  const double bot_before = cpu_seconds(bot_pid);
  const auto start = Clock::now();
  run();
  const double seconds = seconds_since(start);
  const double bot = cpu_seconds(bot_pid) - bot_before;
  const double postgres =
      probe.postgres() ? postgres_cpu_seconds(probe.backends()) - postgres_before : 0;
  const long long trips = probe.round_trips(bot_pid) - trips_before;
  const double count = updates;
  return Cost{count / seconds,
              bot * 1000.0 / count,
              postgres * 1000.0 / count,
              postgres / seconds,
              static_cast<double>(probe.statements()) / count,
              static_cast<double>(trips) / count};
}

struct RoundResult {
  Cost outstanding;
  Cost queued;
  Cost confirm;
  long peak_rss_kib{0};
};

// What the fake has answered, counted as it answers; the one-outstanding workload sends
// each chat's next update from here.
struct Traffic {
  explicit Traffic(FakeTelegram& telegram) : fake(telegram) {
    fake.on_answered([this](const std::string& method, const std::string& body) {
      if (method == "answerCallbackQuery") ++answers;
      if (method != "sendMessage") return;
      const std::int64_t chat = chat_of(body);
      if (chat < 1 || chat > kChats) return;
      ++replies;
      auto& count = sent[static_cast<std::size_t>(chat)];
      if (outstanding && count < kPerChat) {
        ++count;
        fake.push_message(chat, "/my_account");
      }
    });
  }

  FakeTelegram& fake;
  std::atomic<bool> outstanding{false};
  std::atomic<int> replies{0};
  std::atomic<int> answers{0};
  std::vector<int> sent = std::vector<int>(kChats + 1, 0);  // per chat, while outstanding
};

// One round: a new bot process on the club's database runs the three workloads. The
// fake lives across rounds: its update ids go on, as Telegram's would.
RoundResult run_round(Club& club, Traffic& traffic, int round, bool print_statements) {
  FakeTelegram& fake = traffic.fake;
  auto& replies = traffic.replies;
  auto& answers = traffic.answers;
  replies = 0;
  answers = 0;
  const std::string log = "/tmp/lottery-bench-cost-" + std::to_string(::getpid()) + ".log";
  const auto bot = start_bot(fake, club.database->url_text(),
                             {{"DATABASE_POOL_SIZE", std::to_string(kPoolSize)},
                              {"ADMIN_IDS", std::to_string(kAdmin)},
                              {"SEND_RATE", "1000"}},
                             log);
  Probe probe(*club.database);
  RoundResult result;

  result.outstanding = measure(probe, bot->pid(), kUpdates, [&] {
    for (int chat = 1; chat <= kChats; ++chat) traffic.sent[static_cast<std::size_t>(chat)] = 1;
    traffic.outstanding = true;
    for (int chat = 1; chat <= kChats; ++chat) fake.push_message(chat, "/my_account");
    wait_for([&] { return replies >= kUpdates; }, "my_account, one outstanding per chat");
  });
  traffic.outstanding = false;
  const auto shown = fake.messages_to(1);
  if (shown.empty() || shown.back().text.find(account_of(1, 1)) == std::string::npos) {
    throw std::runtime_error("my_account did not list both accounts: " +
                             (shown.empty() ? std::string("no reply") : shown.back().text));
  }
  if (print_statements) {
    std::printf("\n  where the statements of one /my_account go (%s, round %d):\n",
                probe.postgres() ? "PostgreSQL" : "SQLite", round + 1);
    probe.print_statements(kUpdates);
  }

  replies = 0;
  result.queued = measure(probe, bot->pid(), kUpdates, [&] {
    for (int each = 0; each < kPerChat; ++each) {
      for (int chat = 1; chat <= kChats; ++chat) fake.push_message(chat, "/my_account");
    }
    wait_for([&] { return replies >= kUpdates; }, "my_account, all queued at once");
  });

  const auto& presses = club.presses[static_cast<std::size_t>(round)];
  result.confirm = measure(probe, bot->pid(), kPresses, [&] {
    for (const auto& [user, winner] : presses) {
      fake.push_button(user, 1, "confirm_win_" + std::to_string(winner));
    }
    wait_for([&] { return answers >= kPresses; }, "confirm presses answered");
    wait_for([&] { return probe.outbox_drained(); }, "confirm presses delivered");
  });
  if (print_statements) {
    std::printf("\n  where the statements of one confirm press go:\n");
    probe.print_statements(kPresses);
  }
  std::string ids;
  for (const auto& press : presses) ids += (ids.empty() ? "" : ",") + std::to_string(press.second);
  const long long confirmed = probe.scalar(
      "SELECT count(*) FROM winners WHERE claimed_at IS NOT NULL AND id IN (" + ids + ")");
  if (confirmed != kPresses) {
    throw std::runtime_error("confirm: " + std::to_string(confirmed) + " wins confirmed of " +
                             std::to_string(kPresses));
  }
  result.peak_rss_kib = peak_rss_kib(bot->pid());
  bot->signal(SIGTERM);
  (void)bot->wait(std::chrono::seconds{10});
  std::remove(log.c_str());
  return result;
}

void print_row(const char* store, int round, const char* workload, const Cost& cost) {
  std::printf("%-10s %5d  %-24s %9.0f %8.3f %8.3f %8.3f %6.0f %%  %7.2f %7.2f\n", store, round + 1,
              workload, cost.per_second, cost.bot_cpu_ms, cost.postgres_cpu_ms,
              cost.bot_cpu_ms + cost.postgres_cpu_ms, cost.postgres_share * 100.0, cost.statements,
              cost.round_trips);
}

int run() {
  const char* only = std::getenv("LOTTERY_BENCH_STORE");
  const std::string chosen = only != nullptr ? only : "";
  std::vector<std::pair<const char*, std::vector<RoundResult>>> stores;
  for (const bool postgres : {true, false}) {
    if (!chosen.empty() && chosen != (postgres ? "postgresql" : "sqlite")) continue;
    const char* name = postgres ? "PostgreSQL" : "SQLite";
    std::cout << name << ": " << kChats << " clients with two accounts, " << kRounds * kPresses
              << " pending wins..." << std::endl;
    Club club = make_club(postgres);
    FakeTelegram fake;
    Traffic traffic(fake);
    auto& rounds = stores.emplace_back(name, std::vector<RoundResult>{}).second;
    for (int round = 0; round < kRounds; ++round) {
      std::cout << name << ", round " << round + 1 << "..." << std::endl;
      rounds.push_back(run_round(club, traffic, round, postgres && round == 0));
    }
  }
  const bool with_postgres = chosen.empty() || chosen == "postgresql";
  double tps = 0;
  if (with_postgres) {
    std::cout << "\npgbench -N -c " << kPoolSize << "..." << std::endl;
    tps = pgbench_tps(kPoolSize);
  }

  std::printf("\n%-10s %5s  %-24s %9s %8s %8s %8s %8s  %7s %7s\n", "store", "round", "workload",
              "updates/s", "bot ms", "PG ms", "sum ms", "PG core", "stmts", "trips");
  for (const auto& [store, rounds] : stores) {
    for (std::size_t round = 0; round < rounds.size(); ++round) {
      const auto index = static_cast<int>(round);
      print_row(store, index, "my_account/outstanding", rounds[round].outstanding);
      print_row(store, index, "my_account/queued", rounds[round].queued);
      print_row(store, index, "confirm/burst", rounds[round].confirm);
      std::printf("%-10s %5d  %-24s %9.1f MiB\n", store, index + 1, "peak RSS",
                  static_cast<double>(rounds[round].peak_rss_kib) / 1024.0);
    }
  }
  if (with_postgres) {
    std::printf("\npgbench -N -c %d on the same server: %.0f tps\n", kPoolSize, tps);
  }
  std::printf(
      "(ms: CPU per update; PG core: PostgreSQL's share of one core during the run;\n"
      " stmts, trips: statements and round trips to PostgreSQL per update)\n");
  return 0;
}

}  // namespace
}  // namespace lottery::testing::bench

int main() {
  try {
    return lottery::testing::bench::run();
  } catch (const std::exception& error) {
    std::cerr << "update_cost_bench: " << error.what() << '\n';
    return 1;
  }
}
