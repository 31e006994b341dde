// Updates end to end (docs/PERFORMANCE.md): the real lottery-bot, polling our fake Bot
// API, on a throwaway PostgreSQL; each figure beside its baseline in the same run.
//
//   1. the fake's own ceiling: a trivial echo client (getUpdates, one sendMessage each);
//   2. saturation: 20,000 updates (/my_account, registration dialogues, confirmation
//      presses) queued at once, timed until every one is confirmed to Telegram and every
//      reply is delivered;
//   3. open loop: 5,000 /my_account of distinct clients offered at 500 a second; the
//      latency of each from its arrival at the fake to the reply reaching the fake;
//   4. the bot's peak resident memory;
//   5. pgbench -N on the same server with the bot's connection count.
//
// Run by `make bench` (scripts/with-postgres provides LOTTERY_TEST_POSTGRES_URL).

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "fake_telegram.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/telegram/api_client.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

using bench::account_of;
using bench::card_of;
using bench::chat_of;
using bench::Clock;
using bench::CorePorts;
using bench::cpu_seconds;
using bench::kBenchToken;
using bench::peak_rss_kib;
using bench::percentile;
using bench::pgbench_tps;
using bench::seconds_since;
using bench::start_bot;
using bench::wait_for;
using std::chrono::duration;

constexpr const char* kToken = kBenchToken;
constexpr std::int64_t kAdmin = 999'999;
constexpr int kRegistered = 5'000;      // clients with a card, a code and an account
constexpr int kSaturation = 20'000;     // updates queued at once
constexpr int kDialogues = 2'000;       // registration dialogues among them (3 updates each)
constexpr int kPresses = 2'000;         // confirmation presses among them
constexpr int kOpenLoop = 5'000;        // updates offered at kOfferedRate
constexpr double kOfferedRate = 500.0;  // per second
constexpr int kPoolSize = 4;            // the bot's database connections (its default)

// 1. The fake's ceiling, with the simplest client there is.
double echo_ceiling() {
  FakeTelegram fake;
  for (int user = 1; user <= kSaturation; ++user) fake.push_message(user, "/my_account");
  telegram::ApiClient client(telegram::ApiEndpoint{fake.base_url(), kToken, ""});
  const auto start = Clock::now();
  std::int64_t offset = 0;
  int echoed = 0;
  while (echoed < kSaturation) {
    const auto response =
        client.call("getUpdates", "{\"offset\":" + std::to_string(offset) + ",\"timeout\":1}");
    if (!response.ok) throw std::runtime_error("echo: getUpdates failed");
    const std::string& updates = response.result;
    for (std::size_t at = updates.find("\"update_id\":"); at != std::string::npos;
         at = updates.find("\"update_id\":", at + 1)) {
      std::int64_t id = 0;
      std::from_chars(updates.data() + at + 12, updates.data() + updates.size(), id);
      const auto chat_at = updates.find("\"chat\":{\"id\":", at);
      std::int64_t chat = 0;
      std::from_chars(updates.data() + chat_at + 13, updates.data() + updates.size(), chat);
      (void)client.call("sendMessage",
                        "{\"chat_id\":" + std::to_string(chat) + ",\"text\":\"echo\"}");
      offset = id + 1;
      ++echoed;
    }
  }
  return kSaturation / seconds_since(start);
}

struct Club {
  std::unique_ptr<TestDatabase> database;
  std::vector<std::pair<std::int64_t, std::int64_t>> winners;  // telegram id, winner id
};

// Registered clients with an account each, and a drawn lottery of 100 pending wins.
Club make_club() {
  Club club{make_postgres_database(true, kPoolSize), {}};
  CorePorts ports(kAdmin);
  const Dependencies deps = ports.dependencies(*club.database);
  // The clients by SQL (the registration dialogue is measured below, not here); codes
  // are "2222" and four letters of the alphabet, distinct per client.
  club.database->execute(
      "INSERT INTO users (telegram_id, username, first_name, club_card_number, is_registered, "
      "verification_code) SELECT n, '', 'Клиент ' || n, (100000 + n)::text, TRUE, '2222' || "
      "substr(a, n / 27000 % 30 + 1, 1) || substr(a, n / 900 % 30 + 1, 1) || "
      "substr(a, n / 30 % 30 + 1, 1) || substr(a, n % 30 + 1, 1) "
      "FROM generate_series(1, " +
      std::to_string(kRegistered) +
      ") AS n, (SELECT '23456789ABCDEFGHJKMNPQRSTUVWXY'::text AS a) alphabet");
  std::vector<ImportLine> lines;
  for (int client = 1; client <= kRegistered; ++client) {
    const auto card = ClubCard::parse(card_of(client)).value();
    lines.push_back(ImportLine{static_cast<std::size_t>(client),
                               "",
                               {AccountNumber::parse(account_of(client)).value(), card}});
  }
  if (!AccountService(deps).import_accounts(Requester::system(), lines, std::nullopt)) {
    throw std::runtime_error("setup: accounts failed");
  }
  club.winners = bench::draw_full_lottery(deps, *club.database);
  // The draw's notifications are not part of what is measured.
  club.database->execute("UPDATE outbox SET sent_at = now()");
  return club;
}

// Every reply to a client delivered. The admin's chat is left out: the 100 confirmations
// reach it at Telegram's one message a second per chat, whatever the bot's speed.
bool all_delivered(const TestDatabase& database) {
  return database.scalar(
             "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL "
             "AND chat_id <> " +
             std::to_string(kAdmin)) == 0;
}

struct BotRun {
  double handled_per_second{0};     // confirmed to Telegram (committed)
  double cpu_per_update_ms{0};      // the bot's own CPU while handling them
  double saturation_per_second{0};  // handled and every reply delivered
  std::vector<double> latencies_ms;
  // The two parts of each: until getUpdates handed it over, then until the reply.
  std::vector<double> to_bot_ms;
  std::vector<double> in_bot_ms;
  std::vector<double> handled_ms;  // handed over until confirmed by the next getUpdates
  long peak_rss_kib{0};
};

BotRun run_bot(Club& club) {
  FakeTelegram fake;
  const std::string log = "/tmp/lottery-bench-bot-" + std::to_string(::getpid()) + ".log";
  const auto bot = start_bot(fake, club.database->url_text(),
                             {{"DATABASE_POOL_SIZE", std::to_string(kPoolSize)},
                              {"ADMIN_IDS", std::to_string(kAdmin)},
                              {"SEND_RATE", "1000"}},
                             log);

  // 2. Saturation: the dialogues' steps keep their order, the rest is shuffled in.
  std::mt19937 random(20261126);
  std::vector<int> slots;  // >= 0: a dialogue; -1: a press; -2: /my_account
  for (int dialogue = 0; dialogue < kDialogues; ++dialogue) slots.insert(slots.end(), 3, dialogue);
  slots.insert(slots.end(), kPresses, -1);
  slots.resize(kSaturation, -2);
  std::shuffle(slots.begin(), slots.end(), random);
  std::vector<int> step(kDialogues, 0);
  std::uniform_int_distribution<int> any_client(1, kRegistered);
  std::uniform_int_distribution<std::size_t> any_winner(0, club.winners.size() - 1);
  std::int64_t last = 0;
  const auto start = Clock::now();
  for (const int slot : slots) {
    if (slot >= 0) {
      const int user = 200'000 + slot;
      const std::string texts[] = {"/register", std::to_string(700'000 + slot), "Пропустить"};
      last = fake.push_message(user, texts[step[static_cast<std::size_t>(slot)]++]);
    } else if (slot == -1) {
      const auto& [user, winner] = club.winners[any_winner(random)];
      last = fake.push_button(user, 1, "confirm_win_" + std::to_string(winner));
    } else {
      last = fake.push_message(any_client(random), "/my_account");
    }
  }
  const double cpu_before = cpu_seconds(bot->pid());
  wait_for([&] { return fake.confirmed_offset() > last; }, "saturation: handled");
  BotRun run;
  run.handled_per_second = kSaturation / seconds_since(start);
  run.cpu_per_update_ms = (cpu_seconds(bot->pid()) - cpu_before) * 1000.0 / kSaturation;
  wait_for([&] { return all_delivered(*club.database); }, "saturation: delivered");
  run.saturation_per_second = kSaturation / seconds_since(start);

  // 3. Open loop: one update of a distinct client every 2 ms, whatever the bot does.
  const std::size_t calls_before = fake.calls().size();
  std::map<std::int64_t, Clock::time_point> offered;
  std::map<std::int64_t, std::int64_t> update_of;
  const auto interval =
      std::chrono::duration_cast<Clock::duration>(duration<double>(1.0 / kOfferedRate));
  const auto open_start = Clock::now();
  for (int i = 0; i < kOpenLoop; ++i) {
    std::this_thread::sleep_until(open_start + i * interval);
    const int client = 1 + i % kRegistered;
    offered[client] = Clock::now();
    last = fake.push_message(client, "/my_account");
    update_of[client] = last;
  }
  wait_for([&] { return fake.confirmed_offset() > last && all_delivered(*club.database); },
           "open loop");
  const auto calls = fake.calls();
  std::map<std::int64_t, Clock::time_point> replied;
  for (std::size_t i = calls_before; i < calls.size(); ++i) {
    if (calls[i].method != "sendMessage") continue;
    const std::int64_t chat = chat_of(calls[i].body);
    if (offered.contains(chat) && !replied.contains(chat)) replied[chat] = calls[i].at;
  }
  for (const auto& [chat, at] : offered) {
    if (!replied.contains(chat)) throw std::runtime_error("open loop: a reply is missing");
    run.latencies_ms.push_back(duration<double, std::milli>(replied[chat] - at).count());
    if (const auto handed = fake.handed_over(update_of[chat])) {
      run.to_bot_ms.push_back(duration<double, std::milli>(*handed - at).count());
      run.in_bot_ms.push_back(duration<double, std::milli>(replied[chat] - *handed).count());
      if (const auto confirmed = fake.confirmed_at(update_of[chat])) {
        run.handled_ms.push_back(duration<double, std::milli>(*confirmed - *handed).count());
      }
    }
  }
  run.peak_rss_kib = peak_rss_kib(bot->pid());
  bot->signal(SIGTERM);
  (void)bot->wait(std::chrono::seconds{10});
  std::remove(log.c_str());
  return run;
}

struct NotificationRun {
  double per_second{0};
  std::size_t refused_429{0};
};

// 6. 1,000 winner notifications (ten lotteries of 100 places drawn at once) through the
// bot's sender at its default 30 messages a second, the fake enforcing Telegram's limits.
NotificationRun run_notifications(Club& club) {
  FakeTelegram fake;
  fake.enforce_limits(30.0);
  const std::string log = "/tmp/lottery-bench-notify-" + std::to_string(::getpid()) + ".log";
  const auto bot =
      start_bot(fake, club.database->url_text(), {{"ADMIN_IDS", std::to_string(kAdmin)}}, log);
  CorePorts ports(kAdmin);
  LotteryService lotteries(ports.dependencies(*club.database));
  std::vector<Prize> prizes;
  for (int place = 1; place <= Lottery::kMaxPlaces; ++place) prizes.push_back({place, "Приз"});
  const std::size_t before =
      club.database->scalar("SELECT count(*) FROM outbox") > 0
          ? static_cast<std::size_t>(club.database->scalar("SELECT max(id) FROM outbox"))
          : 0;
  for (int i = 0; i < 10; ++i) {
    const auto lottery = lotteries.create(Requester::system(), "Уведомления", prizes);
    if (!lottery || !lotteries.enrol_all_active(Requester::system(), lottery->id) ||
        !lotteries.draw(Requester::system(), lottery->id)) {
      throw std::runtime_error("notifications: a draw failed");
    }
  }
  const auto winner_messages = [&] {
    return club.database->scalar(
        "SELECT count(*) FROM outbox WHERE kind = 'winner_drawn' "
        "AND sent_at IS NOT NULL AND id > " +
        std::to_string(before));
  };
  wait_for([&] { return winner_messages() >= 1'000; }, "notifications");
  // The rate of every message sent while the winners' went out (the admin's draw
  // reports share the limit), and the calls refused.
  const auto calls = fake.calls();
  std::vector<Clock::time_point> winners;
  for (const auto& call : calls) {
    if (call.method == "sendMessage" && call.body.find("confirm_win_") != std::string::npos) {
      winners.push_back(call.at);
    }
  }
  std::size_t attempts = 0;
  std::size_t in_window = 0;
  for (const auto& call : calls) {
    if (call.method != "sendMessage") continue;
    ++attempts;
    if (call.at > winners.front() && call.at <= winners.back()) ++in_window;
  }
  NotificationRun run;
  std::size_t accepted = 0;
  for (const auto& message : fake.messages()) accepted += message.edit ? 0 : 1;
  run.refused_429 = attempts - accepted;
  run.per_second =
      static_cast<double>(in_window) / duration<double>(winners.back() - winners.front()).count();
  bot->signal(SIGTERM);
  (void)bot->wait(std::chrono::seconds{10});
  std::remove(log.c_str());
  return run;
}

int run() {
  std::cout << "Setting up " << kRegistered << " registered clients and 100 pending wins...\n";
  Club club = make_club();
  std::cout << "Echo client against the fake...\n";
  const double echo = echo_ceiling();
  std::cout << "lottery-bot, " << kSaturation << " updates, then " << kOpenLoop << " at "
            << kOfferedRate << "/s...\n";
  const BotRun bot = run_bot(club);
  std::cout << "1,000 winner notifications at 30/s...\n";
  const NotificationRun notifications = run_notifications(club);
  std::cout << "pgbench -N -c " << kPoolSize << "...\n";
  const double tps = pgbench_tps(kPoolSize);
  std::printf("\n%-58s %12s\n", "measure", "value");
  std::printf("%-58s %12.0f\n", "fake Bot API ceiling, echo client (updates/s)", echo);
  std::printf("%-58s %12.0f\n", "bot, 20,000 updates handled and committed (updates/s)",
              bot.handled_per_second);
  std::printf("%-58s %12.2f\n", "bot CPU per update (ms)", bot.cpu_per_update_ms);
  std::printf("%-58s %12.0f\n", "bot, 20,000 updates handled and replied to (updates/s)",
              bot.saturation_per_second);
  std::printf("%-58s %12.0f\n", "pgbench -N, same server and connection count (tps)", tps);
  std::printf("%-58s %12.2f\n", "bot updates handled/s : pgbench tps",
              bot.handled_per_second / tps);
  std::printf("%-58s %12.1f\n", "update-to-reply p50 at 500 updates/s offered (ms)",
              percentile(bot.latencies_ms, 0.50));
  std::printf("%-58s %12.1f\n", "update-to-reply p99 at 500 updates/s offered (ms)",
              percentile(bot.latencies_ms, 0.99));
  std::printf("%-58s %12.1f\n", "update-to-reply max at 500 updates/s offered (ms)",
              percentile(bot.latencies_ms, 1.0));
  std::printf("%-58s %6.1f %5.1f\n", "  of which until getUpdates hands it over, p50 p99 (ms)",
              percentile(bot.to_bot_ms, 0.50), percentile(bot.to_bot_ms, 0.99));
  std::printf("%-58s %6.1f %5.1f\n", "  of which from then to the reply, p50 p99 (ms)",
              percentile(bot.in_bot_ms, 0.50), percentile(bot.in_bot_ms, 0.99));
  std::printf("%-58s %6.1f %5.1f\n", "  (handed over until confirmed by the next poll, p50 p99)",
              percentile(bot.handled_ms, 0.50), percentile(bot.handled_ms, 0.99));
  std::printf("%-58s %12.1f\n", "bot peak RSS (MiB)", static_cast<double>(bot.peak_rss_kib) / 1024);
  std::printf("%-58s %12.1f\n", "1,000 winner notifications (messages/s, limit 30)",
              notifications.per_second);
  std::printf("%-58s %12zu\n", "  of them answered 429", notifications.refused_429);
  return 0;
}

}  // namespace
}  // namespace lottery::testing

int main() {
  try {
    return lottery::testing::run();
  } catch (const std::exception& error) {
    std::cerr << "updates_bench: " << error.what() << '\n';
    return 1;
  }
}
