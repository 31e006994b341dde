#include "staging.hpp"

#include <libpq-fe.h>
#include <soci/soci.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <type_traits>
#include <vector>

#include "lottery/ports/storage_error.hpp"
#include "sql_support.hpp"

namespace lottery::db {
namespace {

constexpr std::size_t kCopyBufferBytes = 1U << 20U;

[[noreturn]] void copy_failed(PGconn* connection) {
  throw StorageError(StorageError::Kind::kUnavailable,
                     std::string("COPY failed: ") + PQerrorMessage(connection));
}

}  // namespace

void copy_in(soci::session& session, const char* copy_statement, std::size_t count,
             const std::function<void(std::size_t, std::string&)>& write_row) {
  send_deferred_begin(session);  // libpq directly: SOCI's statement hook does not see it
  auto* connection = static_cast<PGconn*>(libpq_connection(session));
  PGresult* started = PQexec(connection, copy_statement);
  const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
  PQclear(started);
  if (!copying) copy_failed(connection);
  std::string buffer;
  buffer.reserve(kCopyBufferBytes + 256);
  const auto flush = [&] {
    if (PQputCopyData(connection, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      copy_failed(connection);
    }
    buffer.clear();
  };
  for (std::size_t index = 0; index < count; ++index) {
    write_row(index, buffer);
    if (buffer.size() >= kCopyBufferBytes) flush();
  }
  if (!buffer.empty()) flush();
  if (PQputCopyEnd(connection, nullptr) != 1) copy_failed(connection);
  std::optional<std::string> failure;
  bool lost_race = false;
  while (PGresult* result = PQgetResult(connection)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && !failure) {
      failure = PQresultErrorMessage(result);
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      lost_race = state != nullptr && std::string_view(state) == "23505";
    }
    PQclear(result);
  }
  if (failure) {
    throw StorageError(lost_race ? StorageError::Kind::kConflict : StorageError::Kind::kUnavailable,
                       "COPY failed: " + *failure);
  }
}

namespace binary_copy {
namespace {

// Network byte order, as the format wants every integer.
template <class Integer>
void big_endian(std::string& out, Integer value) {
  const auto bits = static_cast<std::make_unsigned_t<Integer>>(value);
  for (int shift = 8 * static_cast<int>(sizeof(Integer)) - 8; shift >= 0; shift -= 8) {
    out += static_cast<char>((bits >> static_cast<unsigned>(shift)) & 0xFFU);
  }
}

// PostgreSQL counts time from 2000-01-01 00:00 UTC.
constexpr std::int64_t kPostgresEpochMicros = 946'684'800'000'000;

}  // namespace

void header(std::string& out) {
  out.append("PGCOPY\n\xFF\r\n\0", 11);
  big_endian<std::int32_t>(out, 0);  // flags: no OIDs
  big_endian<std::int32_t>(out, 0);  // no header extension
}

void row(std::string& out, std::int16_t fields) { big_endian(out, fields); }

void text(std::string& out, std::string_view value) {
  big_endian(out, static_cast<std::int32_t>(value.size()));
  out += value;
}

void bigint(std::string& out, std::optional<std::int64_t> value) {
  if (!value) {
    big_endian<std::int32_t>(out, -1);
    return;
  }
  big_endian<std::int32_t>(out, 8);
  big_endian(out, *value);
}

void boolean(std::string& out, bool value) {
  big_endian<std::int32_t>(out, 1);
  out += value ? '\1' : '\0';
}

void timestamptz(std::string& out, Instant value) {
  big_endian<std::int32_t>(out, 8);
  big_endian<std::int64_t>(out, value.time_since_epoch().count() - kPostgresEpochMicros);
}

void trailer(std::string& out) { big_endian<std::int16_t>(out, -1); }

}  // namespace binary_copy

namespace {

void insert_rows(soci::session& session, std::span<const StagedRow> rows) {
  std::vector<long long> positions;
  std::vector<std::string> numbers;
  std::vector<std::string> cards;
  std::vector<soci::indicator> card_indicators;
  positions.reserve(rows.size());
  numbers.reserve(rows.size());
  cards.reserve(rows.size());
  card_indicators.reserve(rows.size());
  for (const StagedRow& row : rows) {
    positions.push_back(row.position);
    numbers.push_back(row.account_number);
    cards.push_back(row.club_card.value_or(std::string{}));
    card_indicators.push_back(row.club_card ? soci::i_ok : soci::i_null);
  }
  session << "INSERT INTO lottery_staging (position, account_number, club_card) "
             "VALUES (:position, :number, :card)",
      soci::use(positions, "position"), soci::use(numbers, "number"),
      soci::use(cards, card_indicators, "card");
}

}  // namespace

StagingTable::StagingTable(soci::session& session, Dialect dialect, std::span<const StagedRow> rows)
    : session_(session) {
  session_ << "CREATE TEMPORARY TABLE lottery_staging (position BIGINT NOT NULL, "
              "account_number VARCHAR(20) NOT NULL, club_card VARCHAR(20))";
  if (rows.empty()) return;
  if (dialect == Dialect::kPostgresql) {
    // The values are validated account numbers and cards: nothing needs escaping.
    copy_in(session_, "COPY lottery_staging (position, account_number, club_card) FROM STDIN",
            rows.size(), [&](std::size_t index, std::string& line) {
              const StagedRow& row = rows[index];
              line += std::to_string(row.position);
              line += '\t';
              line += row.account_number;
              line += '\t';
              line += row.club_card ? *row.club_card : std::string("\\N");
              line += '\n';
            });
    session_ << "ANALYZE lottery_staging";  // the planner's row count for the joins
  } else {
    insert_rows(session_, rows);
  }
}

StagingTable::~StagingTable() {
  try {
    session_ << "DROP TABLE lottery_staging";
  } catch (...) {
    // The transaction failed; rolling it back drops the table on both databases.
  }
}

}  // namespace lottery::db
