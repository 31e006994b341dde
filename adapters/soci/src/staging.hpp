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
#include <string_view>

#include "lottery/core/time.hpp"
#include "lottery/db/database_url.hpp"

namespace lottery::db {

struct StagedRow {
  std::int64_t position{0};
  std::string account_number;
  std::optional<std::string> club_card;
};

// Streams `count` rows into PostgreSQL with `copy_statement` ("COPY t (…) FROM STDIN"),
// each appended by `write_row(index, out)` in the statement's format (text: a line
// ending with '\n'; binary: see binary_copy).
void copy_in(soci::session& session, const char* copy_statement, std::size_t count,
             const std::function<void(std::size_t, std::string&)>& write_row);

// COPY's binary format (FORMAT binary): no text for the server to parse, which is most of
// what a COPY costs it beyond the indexes. A stream is the header, then each row as
// its field count and fields, then the trailer.
namespace binary_copy {
void header(std::string& out);
void row(std::string& out, std::int16_t fields);
void text(std::string& out, std::string_view value);
void bigint(std::string& out, std::optional<std::int64_t> value);  // NULL when empty
void boolean(std::string& out, bool value);
void timestamptz(std::string& out, Instant value);
void trailer(std::string& out);
}  // namespace binary_copy

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
