// The draw at club scale on PostgreSQL (docs/PERFORMANCE.md), each benchmark beside
// its baseline in the same run: the draw of 10 places through the use case against
// ORDER BY random() LIMIT 10 over the same entries, the redraw of 3 places against the
// draw, and /enroll L all (ordinals and the entry hash chain) against a plain
// INSERT ... SELECT into the same table, and `lotteryctl import` of a CSV file against
// psql's \copy of the same file into a table with the constraints of `accounts`. Run by
// `make bench` (scripts/with-postgres).

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "fakes/fake_clock.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

constexpr TelegramUserId kAdmin{1};

// One PostgreSQL schema per entry count, with that many active accounts.
class Club {
 public:
  explicit Club(std::int64_t accounts) : database_(make_postgres_database(true, 4)) {
    settings_.admins = {kAdmin};
    database_->execute(
        "INSERT INTO accounts (account_number, is_active) SELECT "
        "to_char(n / 1000000000000, 'FM00') || '-' || to_char(n / 10000000000 % 100, 'FM00') "
        "|| '-' || to_char(n / 100000000 % 100, 'FM00') || '-' || to_char(n / 1000000 % 100, "
        "'FM00') || '-' || to_char(n / 10000 % 100, 'FM00') || '-' || to_char(n / 100 % 100, "
        "'FM00') || '-' || to_char(n % 100, 'FM00'), TRUE FROM generate_series(1, " +
        std::to_string(accounts) + ") AS n");
    database_->execute("ANALYZE accounts");
  }

  Dependencies deps() {
    return Dependencies{*database_, clock_, random_, cryptography_, settings_};
  }

  // A new open lottery of 10 places with every account entered (plain SQL: fast setup).
  LotteryId lottery_with_everyone() {
    const LotteryId id = new_lottery();
    database_->execute("INSERT INTO participations (lottery_id, account_id, ordinal) SELECT " +
                       std::to_string(id.value()) + ", id, id - 1 FROM accounts");
    database_->execute("ANALYZE participations");
    return id;
  }

  LotteryId new_lottery() {
    std::vector<Prize> prizes;
    for (int place = 1; place <= 10; ++place) prizes.push_back(Prize{place, "Приз"});
    return LotteryService(deps()).create(Requester::telegram(kAdmin), "Бенчмарк", prizes)->id;
  }

  TestDatabase& database() { return *database_; }
  FakeClock& clock() { return clock_; }

 private:
  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  system::SecureRandom random_;
  system::HmacDrawRandomness cryptography_;
  Settings settings_;
};

// Emptied before main returns: the schemas are dropped while the database is still there.
std::map<std::int64_t, std::unique_ptr<Club>>& clubs() {
  static std::map<std::int64_t, std::unique_ptr<Club>> all;
  return all;
}

Club& club(std::int64_t accounts) {
  auto& found = clubs()[accounts];
  if (!found) found = std::make_unique<Club>(accounts);
  return *found;
}

void Draw(benchmark::State& state) {
  Club& scale = club(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const LotteryId lottery = scale.lottery_with_everyone();
    state.ResumeTiming();
    const auto report = LotteryService(scale.deps()).draw(Requester::telegram(kAdmin), lottery);
    if (!report || report->winners.size() != 10) state.SkipWithError("the draw failed");
  }
}

void OrderByRandomBaseline(benchmark::State& state) {
  Club& scale = club(state.range(0));
  const LotteryId lottery = scale.lottery_with_everyone();
  const std::string query =
      "SELECT count(*) FROM (SELECT account_id FROM participations WHERE lottery_id = " +
      std::to_string(lottery.value()) + " ORDER BY random() LIMIT 10) picked";
  for (auto _ : state) {
    if (scale.database().scalar(query) != 10) state.SkipWithError("the baseline failed");
  }
}

void Redraw(benchmark::State& state) {
  Club& scale = club(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const LotteryId lottery = scale.lottery_with_everyone();
    (void)LotteryService(scale.deps()).draw(Requester::telegram(kAdmin), lottery);
    scale.database().execute(
        "UPDATE winners SET status = 'expired' WHERE place IN (1, 2, 3) AND lottery_id = " +
        std::to_string(lottery.value()));
    state.ResumeTiming();
    const auto report = LotteryService(scale.deps()).redraw(Requester::telegram(kAdmin), lottery);
    if (!report || report->winners.size() != 3) state.SkipWithError("the redraw failed");
  }
}

void EnrolAll(benchmark::State& state) {
  Club& scale = club(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const LotteryId lottery = scale.new_lottery();
    state.ResumeTiming();
    const auto report =
        LotteryService(scale.deps()).enrol_all_active(Requester::telegram(kAdmin), lottery);
    if (!report || static_cast<std::int64_t>(report->added) != state.range(0)) {
      state.SkipWithError("the enrolment failed");
    }
  }
}

void InsertSelectBaseline(benchmark::State& state) {
  Club& scale = club(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const LotteryId lottery = scale.new_lottery();
    state.ResumeTiming();
    scale.database().execute(
        "INSERT INTO participations (lottery_id, account_id, ordinal) SELECT " +
        std::to_string(lottery.value()) +
        ", id, row_number() OVER (ORDER BY id) - 1 "
        "FROM accounts WHERE is_active");
  }
}

// A CSV file of `rows` lines "club_card,account_number" (cards nobody registered: the
// accounts come in ownerless), made once per size.
const std::string& import_file(std::int64_t rows) {
  static std::map<std::int64_t, std::string> files;
  auto& path = files[rows];
  if (path.empty()) {
    path = "/tmp/lottery-bench-import-" + std::to_string(::getpid()) + "-" + std::to_string(rows) +
           ".csv";
    std::ofstream file(path);
    file << "club_card,account_number\n";
    for (std::int64_t n = 1; n <= rows; ++n) {
      std::string digits = std::to_string(10'000'000'000'000 + n * 7919 % 90'000'000'000'000);
      std::string number;
      for (std::size_t i = 0; i < digits.size(); i += 2) {
        number += (i == 0 ? "" : "-") + digits.substr(i, 2);
      }
      file << 100'000 + n % 50'000 << ',' << number << '\n';
    }
  }
  return path;
}

void remove_import_files() {
  for (const std::int64_t rows : {10'000, 100'000, 1'000'000}) {
    std::remove(import_file(rows).c_str());
  }
}

void Import(benchmark::State& state) {
  const std::string& file = import_file(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const auto database = make_postgres_database(true);
    state.ResumeTiming();
    const auto result =
        run_process({std::string(LOTTERY_BIN_DIR) + "/lotteryctl", "import", file},
                    {{"DATABASE_URL", database->url_text()}}, {}, std::chrono::seconds{600});
    state.PauseTiming();
    if (result.exit_code != 0 ||
        database->scalar("SELECT count(*) FROM accounts") != state.range(0)) {
      state.SkipWithError(("the import failed: " + result.err).c_str());
    }
    state.ResumeTiming();
  }
}

// psql's \copy of the import file into `table_definition` (a table named copy_baseline).
void copy_file(benchmark::State& state, const std::string& table_definition) {
  const std::string& file = import_file(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    const auto database = make_postgres_database(true);
    database->execute(table_definition);
    state.ResumeTiming();
    const auto result =
        run_process({"/usr/bin/psql", "-q", "-v", "ON_ERROR_STOP=1", database->url_text(), "-c",
                     "\\copy copy_baseline (club_card, account_number) FROM '" + file +
                         "' WITH (FORMAT csv, HEADER true)"},
                    {}, {}, std::chrono::seconds{600});
    state.PauseTiming();
    if (result.exit_code != 0 ||
        database->scalar("SELECT count(*) FROM copy_baseline") != state.range(0)) {
      state.SkipWithError(("the baseline failed: " + result.err).c_str());
    }
    state.ResumeTiming();
  }
}

// The baseline: psql's \copy into a table with the constraints of `accounts` (its
// primary key, the unique number, the owner's foreign key), its defaults and indexes,
// plus the file's card column. The import must do no worse than 1.3 times this.
void CopyBaseline(benchmark::State& state) {
  copy_file(state,
            "CREATE TABLE copy_baseline (club_card VARCHAR(20), "
            "LIKE accounts INCLUDING ALL, FOREIGN KEY (owner_id) REFERENCES users (id))");
}

// What the constraints cost: the same \copy into a table with the unique number only.
void CopyUniqueNumberOnly(benchmark::State& state) {
  copy_file(
      state,
      "CREATE TABLE copy_baseline (club_card VARCHAR(20), account_number VARCHAR(20) UNIQUE)");
}

// 10^4, 10^5 and 10^6 entries; few iterations, each over fresh data.
void Scales(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(10'000)->Arg(100'000)->Arg(1'000'000);
  benchmark->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
}

BENCHMARK(OrderByRandomBaseline)->Apply(Scales);
BENCHMARK(Draw)->Apply(Scales);
BENCHMARK(Redraw)->Apply(Scales);
BENCHMARK(InsertSelectBaseline)->Apply(Scales);
BENCHMARK(EnrolAll)->Apply(Scales);
BENCHMARK(CopyBaseline)->Apply(Scales);
BENCHMARK(CopyUniqueNumberOnly)->Apply(Scales);
BENCHMARK(Import)->Apply(Scales);

}  // namespace
}  // namespace lottery::testing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  lottery::testing::clubs().clear();
  lottery::testing::remove_import_files();
  benchmark::Shutdown();
  return 0;
}
