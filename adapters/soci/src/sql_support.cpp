#include "sql_support.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

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

namespace {

bool is_postgresql(soci::session& session) { return session.get_backend_name() == "postgresql"; }

bool starts_name(char c) { return std::islower(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool in_name(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The SQL with each :name replaced by $N, N the value's place in `values` (a :: cast is
// left alone).
std::string numbered(std::string_view sql, std::initializer_list<NamedValue> values) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t at = 0; at < sql.size(); ++at) {
    const bool placeholder = sql[at] == ':' && at + 1 < sql.size() && starts_name(sql[at + 1]) &&
                             (at == 0 || sql[at - 1] != ':');
    if (!placeholder) {
      out += sql[at];
      continue;
    }
    std::size_t end = at + 1;
    while (end < sql.size() && in_name(sql[end])) ++end;
    const std::string_view name = sql.substr(at + 1, end - at - 1);
    std::size_t position = 0;
    std::size_t index = 0;
    for (const NamedValue& value : values) {
      ++index;
      if (value.name == name) {
        position = index;
        break;
      }
    }
    if (position == 0) throw std::logic_error("no value for :" + std::string(name));
    out += "$" + std::to_string(position);
    at = end - 1;
  }
  return out;
}

// A value as an SQL literal. Texts are escape strings (E'…', backslashes and quotes
// doubled), which read the same whatever standard_conforming_strings says; a NUL byte,
// which would end the statement's text inside the literal, is left out.
std::string literal(const SqlValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const auto* number = std::get_if<long long>(&value)) return std::to_string(*number);
  const auto& text = std::get<std::string>(value);
  std::string quoted = "E'";
  quoted.reserve(text.size() + 3);
  for (const char c : text) {
    if (c == '\0') continue;
    if (c == '\\' || c == '\'') quoted += c;
    quoted += c;
  }
  return quoted + "'";
}

std::string execute_text(const HotStatement& hot, std::initializer_list<NamedValue> values) {
  std::string text = "EXECUTE " + std::string(hot.name);
  if (values.size() == 0) return text;
  text += "(";
  bool first = true;
  for (const NamedValue& value : values) {
    text += (first ? "" : ", ") + literal(value.value);
    first = false;
  }
  return text + ")";
}

// A statement's text with the BEGIN it carries, if any (the result is the statement's).
std::string with_begin(const std::string& begin, const std::string& statement) {
  return begin.empty() ? statement : begin + "; " + statement;
}

// The hot statements prepared, by connection and server process (a reconnection is a
// new connection, which prepares them again). Capped: forgotten entries are found on
// the server again (pg_prepared_statements) instead of being prepared twice.
constexpr std::size_t kMostRemembered = 4096;
std::mutex hot_mutex;
std::set<std::pair<ConnectionIdentity, std::string>> prepared_hot;

void ensure_prepared(soci::session& session, const HotStatement& hot,
                     std::initializer_list<NamedValue> values) {
  auto key = std::pair{connection_identity(session), std::string(hot.name)};
  {
    const std::lock_guard lock(hot_mutex);
    if (prepared_hot.contains(key)) return;
  }
  // PREPARE outlives the transaction it runs in: it belongs to the connection. One the
  // server has although this process forgot it may be outdated: it is replaced.
  long long known = 0;
  std::string name = hot.name;
  session << "SELECT count(*) FROM pg_prepared_statements WHERE name = :name",
      soci::use(name, "name"), soci::into(known);
  if (known != 0) session << "DEALLOCATE " + name;
  const std::string types = hot.parameter_types.empty() ? "" : " (" + hot.parameter_types + ")";
  session << "PREPARE " + name + types + " AS " + numbered(hot.sql, values);
  const std::lock_guard lock(hot_mutex);
  if (prepared_hot.size() >= kMostRemembered) prepared_hot.clear();
  prepared_hot.insert(std::move(key));
}

// Called while a hot statement's failure is handled. A statement the server no longer
// has (SQLSTATE 26000: a DEALLOCATE, a DISCARD ALL, a restarted server behind a
// connection that looks the same) or that a migration outdated (0A000: its columns
// changed type): the connection's statements are prepared again, and the unit of work,
// which the failure aborted, is retried as a conflict.
void recover_if_outdated(soci::session& session) {
  const std::string state = sqlstate_in_flight();
  if (state != "26000" && state != "0A000") return;
  forget_prepared(session);
  throw StorageError(StorageError::Kind::kConflict,
                     "a prepared statement was outdated (SQLSTATE " + state + ")");
}

}  // namespace

namespace {

// The BEGINs waiting for their transaction's first statement, by session.
struct DeferredBegin {
  std::string statement;
  bool sent{false};
};
std::mutex deferred_mutex;
std::map<const soci::session*, DeferredBegin> deferred_begins;

// The BEGIN to send now, if one is waiting; recorded as sent from here on (if it fails,
// the ROLLBACK that follows is harmless).
std::string take_deferred_begin(const soci::session& session) {
  const std::lock_guard lock(deferred_mutex);
  const auto found = deferred_begins.find(&session);
  if (found == deferred_begins.end() || found->second.sent) return {};
  found->second.sent = true;
  return found->second.statement;
}

// Called while the statement that carried a BEGIN fails: a lost connection means
// nothing of the unit of work ran, which may then start again on a new connection.
void retry_if_connection_lost(soci::session& session, const std::string& detail) {
  if (connection_lost(session)) {
    throw StorageError(StorageError::Kind::kConflict,
                       "the connection was lost as the transaction began: " + detail);
  }
}

// SOCI 4.0.3 calls its session's logger when it prepares a statement (not when a
// statement prepared earlier runs again: every statement here is prepared inside the
// unit of work that runs it).
class StatementWatch : public soci::logger_impl {
 public:
  explicit StatementWatch(soci::session& session) : session_(&session) {}
  void start_query(const std::string& /*query*/) override { send_deferred_begin(*session_); }

 private:
  logger_impl* do_clone() const override { return new StatementWatch(*session_); }
  soci::session* session_;
};

}  // namespace

void watch_statements(soci::session& session) {
  if (is_postgresql(session)) session.set_logger(new StatementWatch(session));
}

void defer_begin(soci::session& session, std::string begin_statement) {
  const std::lock_guard lock(deferred_mutex);
  deferred_begins[&session] = DeferredBegin{std::move(begin_statement), false};
}

void send_deferred_begin(soci::session& session) {
  const std::string begin = take_deferred_begin(session);
  if (begin.empty()) return;
  auto* connection = static_cast<PGconn*>(libpq_connection(session));
  PGresult* result = PQexec(connection, begin.c_str());
  const bool begun = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (begun) return;
  const std::string detail = PQerrorMessage(connection);
  retry_if_connection_lost(session, detail);
  throw StorageError(StorageError::Kind::kUnavailable, "BEGIN failed: " + detail);
}

bool end_deferred_begin(soci::session& session) {
  const std::lock_guard lock(deferred_mutex);
  const auto found = deferred_begins.find(&session);
  if (found == deferred_begins.end()) return true;
  const bool sent = found->second.sent;
  deferred_begins.erase(found);
  return sent;
}

bool connection_lost(soci::session& session) {
  if (session.get_backend() == nullptr) return true;  // its last reconnection failed
  if (!is_postgresql(session)) return false;
  auto* connection = static_cast<PGconn*>(libpq_connection(session));
  // An idle connection has nothing to read. A server that ended it (a restart, an idle
  // timeout, pg_terminate_backend) sent its last words and closed it: reading them, and
  // the end of the stream, makes libpq mark the connection bad, with no round trip.
  pollfd readable{PQsocket(connection), POLLIN, 0};
  if (PQstatus(connection) == CONNECTION_OK && readable.fd >= 0 && ::poll(&readable, 1, 0) > 0) {
    (void)PQconsumeInput(connection);
    (void)PQconsumeInput(connection);
  }
  return PQstatus(connection) == CONNECTION_BAD;
}

void forget_prepared(soci::session& session) {
  // A session whose last reconnection failed has no backend (and no name) left.
  if (session.get_backend() == nullptr || !is_postgresql(session)) return;
  const ConnectionIdentity connection = connection_identity(session);
  const std::lock_guard lock(hot_mutex);
  auto first = prepared_hot.lower_bound(std::pair{connection, std::string()});
  auto last = first;
  while (last != prepared_hot.end() && last->first == connection) ++last;
  prepared_hot.erase(first, last);
}

void BoundValues::bind(soci::statement& statement, std::initializer_list<NamedValue> values) {
  // Reserved first: the statement keeps the addresses of what is bound.
  integers_.reserve(values.size());
  texts_.reserve(values.size());
  indicators_.reserve(values.size());
  for (const NamedValue& value : values) {
    const std::string name(value.name);
    if (const auto* text = std::get_if<std::string>(&value.value)) {
      texts_.push_back(*text);
      std::erase(texts_.back(), '\0');  // as on PostgreSQL (see literal)
      indicators_.push_back(soci::i_ok);
      statement.exchange(soci::use(texts_.back(), indicators_.back(), name));
    } else {
      const auto* number = std::get_if<long long>(&value.value);
      integers_.push_back(number != nullptr ? *number : 0);
      indicators_.push_back(number != nullptr ? soci::i_ok : soci::i_null);
      statement.exchange(soci::use(integers_.back(), indicators_.back(), name));
    }
  }
}

Rows::Rows(soci::session& session, const HotStatement& hot,
           std::initializer_list<NamedValue> values)
    : statement_(session) {
  if (!is_postgresql(session)) {
    values_.bind(statement_, values);
    run(std::string(hot.sql));
    return;
  }
  ensure_prepared(session, hot, values);
  const std::string begin = take_deferred_begin(session);
  try {
    run(with_begin(begin, execute_text(hot, values)));
  } catch (...) {
    recover_if_outdated(session);
    if (!begin.empty()) retry_if_connection_lost(session, "a hot statement failed");
    throw;
  }
}

void Rows::run(const std::string& sql) {
  statement_.alloc();
  statement_.prepare(sql, soci::details::st_one_time_query);
  statement_.define_and_bind();
  statement_.exchange_for_rowset(soci::into(row_));
  has_row_ = statement_.execute(true);
}

long long execute_hot(soci::session& session, const HotStatement& hot,
                      std::initializer_list<NamedValue> values) {
  if (!is_postgresql(session)) {
    BoundValues bound;
    soci::statement statement(session);
    bound.bind(statement, values);
    statement.alloc();
    statement.prepare(std::string(hot.sql), soci::details::st_one_time_query);
    statement.define_and_bind();
    statement.execute(true);
    return statement.get_affected_rows();
  }
  ensure_prepared(session, hot, values);
  const std::string begin = take_deferred_begin(session);
  try {
    return execute_once(session, with_begin(begin, execute_text(hot, values)));
  } catch (...) {
    recover_if_outdated(session);
    if (!begin.empty()) retry_if_connection_lost(session, "a hot statement failed");
    throw;
  }
}

void* sqlite_connection(soci::session& session) {
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

}  // namespace lottery::db
