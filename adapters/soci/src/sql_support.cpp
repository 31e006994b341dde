#include "sql_support.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstring>

namespace lottery::db {
namespace {

bool is_conflict_sqlstate(const std::string& state) {
  return state == "23505"      // unique_violation: a concurrent insert won
         || state == "40001"   // serialization_failure
         || state == "40P01";  // deadlock_detected
}

// Data the server refuses whatever happens around it: bad values (class 22), broken
// constraints other than uniqueness (class 23), statements it cannot run (42).
bool is_rejection_sqlstate(const std::string& state) {
  return state.rfind("22", 0) == 0 || (state.rfind("23", 0) == 0 && state != "23505") ||
         state.rfind("42", 0) == 0;
}

bool is_conflict_sqlite(int result) {
  constexpr int kBusy = 5;
  constexpr int kLocked = 6;
  constexpr int kConstraint = 19;
  const int primary = result & 0xff;
  return primary == kBusy || primary == kLocked || primary == kConstraint;
}

bool is_rejection_sqlite(int result) {
  constexpr int kTooBig = 18;
  constexpr int kMismatch = 20;
  constexpr int kRange = 25;
  const int primary = result & 0xff;
  return primary == kTooBig || primary == kMismatch || primary == kRange;
}

}  // namespace

void rethrow_as_storage_error() {
  try {
    throw;
  } catch (const soci::postgresql_soci_error& error) {
    const std::string state = error.sqlstate();
    const auto kind = is_conflict_sqlstate(state)    ? StorageError::Kind::kConflict
                      : is_rejection_sqlstate(state) ? StorageError::Kind::kRejected
                                                     : StorageError::Kind::kUnavailable;
    throw StorageError(kind, error.get_error_message());
  } catch (const soci::sqlite3_soci_error& error) {
    const auto kind = is_conflict_sqlite(error.result())    ? StorageError::Kind::kConflict
                      : is_rejection_sqlite(error.result()) ? StorageError::Kind::kRejected
                                                            : StorageError::Kind::kUnavailable;
    throw StorageError(kind, error.get_error_message());
  } catch (const soci::soci_error& error) {
    throw StorageError(StorageError::Kind::kUnavailable, error.get_error_message());
  } catch (const std::bad_cast&) {
    throw StorageError(StorageError::Kind::kUnavailable, "unexpected column type");
  } catch (const std::exception& error) {
    throw StorageError(StorageError::Kind::kUnavailable, error.what());
  }
}

namespace {

std::size_t position_of(const soci::row& row, std::string_view name) {
  for (std::size_t position = 0; position < row.size(); ++position) {
    if (row.get_properties(position).get_name() == name) return position;
  }
  corrupt("no column " + std::string(name));
}

bool is_null_at(const soci::row& row, std::size_t position) {
  return row.get_indicator(position) == soci::i_null;
}

std::int64_t integer_at(const soci::row& row, std::size_t position) {
  if (is_null_at(row, position)) corrupt("NULL where a number was expected");
  switch (row.get_properties(position).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(position);
    case soci::dt_long_long:
      return row.get<long long>(position);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(position));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(position));
    case soci::dt_string:
      return std::stoll(row.get<std::string>(position));
    default:
      corrupt("a column that is not a number");
  }
}

}  // namespace

bool is_null(const soci::row& row, std::string_view column) {
  return is_null_at(row, position_of(row, column));
}

std::int64_t integer(const soci::row& row, std::string_view column) {
  return integer_at(row, position_of(row, column));
}

std::optional<std::int64_t> optional_integer(const soci::row& row, std::string_view column) {
  const std::size_t position = position_of(row, column);
  if (is_null_at(row, position)) return std::nullopt;
  return integer_at(row, position);
}

std::string text(const soci::row& row, std::string_view column) {
  const std::size_t position = position_of(row, column);
  if (is_null_at(row, position)) return {};
  return row.get<std::string>(position);
}

std::optional<std::string> optional_text(const soci::row& row, std::string_view column) {
  const std::size_t position = position_of(row, column);
  if (is_null_at(row, position)) return std::nullopt;
  return row.get<std::string>(position);
}

Instant instant(const soci::row& row, std::string_view column) {
  return Instant{Duration{integer(row, column)}};
}

std::optional<Instant> optional_instant(const soci::row& row, std::string_view column) {
  const auto value = optional_integer(row, column);
  if (!value) return std::nullopt;
  return Instant{Duration{*value}};
}

void corrupt(const std::string& what) {
  throw StorageError(StorageError::Kind::kRejected, "unexpected data in the database: " + what);
}

ConnectionIdentity connection_identity(soci::session& session) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  return ConnectionIdentity{backend->conn_, PQbackendPID(backend->conn_)};
}

void* libpq_connection(soci::session& session) {
  return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

std::string sqlstate_in_flight() {
  try {
    throw;
  } catch (const soci::postgresql_soci_error& error) {
    return error.sqlstate();
  } catch (...) {
    return {};
  }
}

void* sqlite_connection(soci::session& session) {
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

}  // namespace lottery::db
