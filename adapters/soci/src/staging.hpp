#pragma once

// A temporary table for bulk statements: rows are copied in (COPY on PostgreSQL, one
// prepared insert per row on SQLite, which runs in-process), then joined in one statement
// instead of one statement per row. Internal to the adapter.

#include <soci/soci.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "lottery/core/time.hpp"
#include "lottery/db/database_url.hpp"

namespace lottery::db {

struct StagedRow {
  std::int64_t position{0};
  std::string account_number;
  std::optional<std::string> club_card;
};

// Streams `count` rows into PostgreSQL with `copy_statement` ("COPY t (…) FROM STDIN"),
// each written by `write_row(index, line)` in COPY's text format (line ends with '\n').
void copy_in(soci::session& session, const char* copy_statement, std::size_t count,
             const std::function<void(std::size_t, std::string&)>& write_row);

// The instant as COPY's text format takes a timestamptz: "2026-11-26 12:00:00.123456+00".
[[nodiscard]] std::string copy_timestamp(Instant at);

// The temporary table `lottery_staging (position, account_number, club_card)` holding
// exactly `rows` while it lives; dropped when it goes out of scope (or, on PostgreSQL,
// with the transaction if that fails first).
class StagingTable {
 public:
  StagingTable(soci::session& session, Dialect dialect, std::span<const StagedRow> rows);
  ~StagingTable();
  StagingTable(const StagingTable&) = delete;
  StagingTable& operator=(const StagingTable&) = delete;
  StagingTable(StagingTable&&) = delete;
  StagingTable& operator=(StagingTable&&) = delete;

 private:
  soci::session& session_;
};

}  // namespace lottery::db
