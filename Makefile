# The two commands of the README, and the developer's helpers. Every target installs
# what it needs first (scripts/install-deps does nothing when all is present).

SHELL := /bin/bash

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null | grep -v '^tests/purity_fixture/')

.PHONY: all deps configure build test bench test-sanitizers test-asan test-tsan fuzz run clear-db \
	format format-check tidy clean

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DLOTTERY_WERROR=ON $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) --parallel $(JOBS)

# Builds with warnings as errors and runs every test, the database ones against a
# throwaway PostgreSQL of their own (scripts/with-postgres) and SQLite files.
test: build
	@scripts/with-postgres ctest --test-dir $(BUILD_DIR) --output-on-failure --parallel $(JOBS)

# Benchmarks beside their baselines on a throwaway PostgreSQL (docs/PERFORMANCE.md).
bench: build
	@scripts/with-postgres $(BUILD_DIR)/bin/draw_bench --benchmark_counters_tabular=true
	@scripts/with-postgres $(BUILD_DIR)/bin/updates_bench
	@LOTTERY_PG_STATEMENTS=1 scripts/with-postgres $(BUILD_DIR)/bin/update_cost_bench

# The bot on the embedded SQLite default (DATABASE_URL=sqlite:lottery.db), with the
# settings of the environment (README, "Configuration").
# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, and the
# multi-threaded tests under ThreadSanitizer; any report fails the run. Built at -O1
# with line tables only (enough for the reports' stack traces) and without the
# benchmarks: half the compile time of -O2 -g, which keeps CI within its budget.
SANITIZER_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
	-DLOTTERY_BUILD_BENCHMARKS=OFF -DLOTTERY_WERROR=OFF
test-sanitizers: test-tsan test-asan

test-asan: deps
	@cmake -S . -B $(BUILD_DIR)-asan -G Ninja $(SANITIZER_FLAGS) \
	  -DLOTTERY_SANITIZE=address,undefined >/dev/null
	@cmake --build $(BUILD_DIR)-asan --parallel $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/with-postgres ctest --test-dir $(BUILD_DIR)-asan --output-on-failure --parallel $(JOBS)

TSAN_TESTS = concurrency_tests telegram_tests
test-tsan: deps
	@cmake -S . -B $(BUILD_DIR)-tsan -G Ninja $(SANITIZER_FLAGS) \
	  -DLOTTERY_SANITIZE=thread >/dev/null
	@cmake --build $(BUILD_DIR)-tsan --parallel $(JOBS) --target $(TSAN_TESTS)
	@TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" scripts/with-postgres sh -c \
	  'for test in $(TSAN_TESTS); do $(BUILD_DIR)-tsan/bin/$$test --gtest_brief=1 || exit 1; done'

# libFuzzer (clang) on the parsers, the Telegram update mapping, the configuration and
# the conversations, each for FUZZ_SECONDS, starting from the corpus in tests/fuzz.
FUZZ_SECONDS ?= 60
FUZZERS = value_types update_json config chat
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(BUILD_DIR)-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DLOTTERY_BUILD_FUZZERS=ON -DLOTTERY_WERROR=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-fuzz --parallel $(JOBS) --target $(addprefix fuzz_,$(FUZZERS))
	@for target in $(FUZZERS); do \
	  mkdir -p $(BUILD_DIR)-fuzz/corpus/$$target || exit 1; \
	  echo "fuzz_$$target: $(FUZZ_SECONDS) s"; \
	  $(BUILD_DIR)-fuzz/bin/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD_DIR)-fuzz/ $(BUILD_DIR)-fuzz/corpus/$$target \
	    tests/fuzz/corpus/$$target 2>&1 | grep -E "^(stat::number_of_executed_units|==|SUMMARY|#[0-9]+ +DONE)" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

run: build
	@if [ -z "$$TELEGRAM_BOT_TOKEN" ]; then \
	  echo "make run: set TELEGRAM_BOT_TOKEN first. To get one, open Telegram, talk to"; \
	  echo "@BotFather, send /newbot and follow its questions; it answers with the token."; \
	  echo "Then: TELEGRAM_BOT_TOKEN=123456:ABC... ADMIN_IDS=<your Telegram id> make run"; \
	  exit 1; \
	fi >&2
	@$(BUILD_DIR)/bin/lottery-bot $(ARGS)

# Deletes every row of the database in DATABASE_URL (default sqlite:lottery.db) after
# asking for its name; `make clear-db ARGS=--yes` skips the question.
clear-db: build
	@$(BUILD_DIR)/bin/lotteryctl clear-db $(ARGS)

format:
	@clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES)

tidy: configure
	@clang-tidy -p $(BUILD_DIR) --quiet $(filter %.cpp,$(SOURCES))

clean:
	@rm -rf $(BUILD_DIR) $(BUILD_DIR)-asan $(BUILD_DIR)-tsan $(BUILD_DIR)-fuzz
