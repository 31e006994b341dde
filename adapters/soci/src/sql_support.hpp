#pragma once

// Helpers of the SOCI adapter: error translation, reading columns whatever type the
// backend reports, and binding optional values. Internal to the adapter.

#include <soci/soci.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "lottery/core/time.hpp"
#include "lottery/db/database.hpp"
#include "lottery/db/database_url.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::db {

// Translates the exception in flight (a SOCI or backend error) into a StorageError:
// lost races (unique violations, serialization failures, deadlocks, SQLite busy) are
// conflicts worth retrying, everything else means the store is unavailable.
[[noreturn]] void rethrow_as_storage_error();

// Runs `work`, translating any database error into StorageError.
template <class Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const StorageError&) {
    throw;
  } catch (const MigrationError&) {
    throw;
  } catch (...) {
    rethrow_as_storage_error();
  }
}

// Column readers by name: the column's name in the query, or its alias (AS name), in
// lower case as PostgreSQL reports it. Each reader tolerates how each backend types
// integers; a column missing from the row is reported as corrupt data.
[[nodiscard]] bool is_null(const soci::row& row, std::string_view column);
[[nodiscard]] std::int64_t integer(const soci::row& row, std::string_view column);
[[nodiscard]] std::optional<std::int64_t> optional_integer(const soci::row& row,
                                                           std::string_view column);
[[nodiscard]] std::string text(const soci::row& row, std::string_view column);  // NULL: ""
[[nodiscard]] std::optional<std::string> optional_text(const soci::row& row,
                                                       std::string_view column);
[[nodiscard]] Instant instant(const soci::row& row, std::string_view column);
[[nodiscard]] std::optional<Instant> optional_instant(const soci::row& row,
                                                      std::string_view column);

[[nodiscard]] inline long long micros(Instant at) { return at.time_since_epoch().count(); }

// A value to bind that may be NULL; keep it alive until the statement has run.
template <class T>
struct Nullable {
  T value{};
  soci::indicator indicator{soci::i_null};
};

template <class T, class U>
[[nodiscard]] Nullable<T> nullable(const std::optional<U>& optional) {
  if (!optional) return {};
  return Nullable<T>{static_cast<T>(*optional), soci::i_ok};
}

// A value of a hot statement: NULL, an integer or a text.
using SqlValue = std::variant<std::monostate, long long, std::string>;
struct NamedValue {
  std::string_view name;  // as the statement's SQL names it (:name)
  SqlValue value;
};

template <class T>
[[nodiscard]] SqlValue value_or_null(const std::optional<T>& optional) {
  if (!optional) return std::monostate{};
  if constexpr (std::is_integral_v<T>) {
    return static_cast<long long>(*optional);
  } else {
    return std::string(*optional);
  }
}

// A strong id (anything with an integer value()) or NULL.
template <class Id>
[[nodiscard]] SqlValue id_or_null(const std::optional<Id>& id) {
  return id ? SqlValue{static_cast<long long>(id->value())} : SqlValue{};
}

// Ids as one value of a hot statement, so that it is prepared once whatever their
// number: an array literal on PostgreSQL ("{1,2}", for `= ANY (CAST(:ids AS bigint[]))`),
// a JSON array on SQLite ("[1,2]", for `IN (SELECT value FROM json_each(:ids))`).
template <class Id>
[[nodiscard]] std::string id_list(std::span<const Id> ids, Dialect dialect) {
  std::string list;
  for (const Id& id : ids) list += (list.empty() ? "" : ",") + std::to_string(id.value());
  return dialect == Dialect::kPostgresql ? "{" + list + "}" : "[" + list + "]";
}

// A statement an update runs every time. PostgreSQL spent more CPU parsing and planning
// such statements than running them (0.12 ms against 0.05 ms a lookup, measured with
// pgbench), so on PostgreSQL each connection PREPAREs it once under `name` and then
// EXECUTEs it with the values written in as escaped literals (EXECUTE takes no bound
// parameters). On SQLite it runs with the values bound. `sql` names its values :name.
// A text value loses any NUL byte (PostgreSQL stores none).
struct HotStatement {
  const char* name;  // unique among the hot statements, a lower-case SQL identifier
  std::string sql;
  // The types of the values in the order they are given, where PostgreSQL cannot infer
  // them from the SQL (e.g. "bigint, text"); empty: inferred.
  std::string parameter_types = {};
};

// PostgreSQL: a transaction's BEGIN goes out with its first statement instead of
// alone, one round trip less per unit of work (and none for one that runs nothing). A
// hot statement carries it in its own text ("BEGIN; EXECUTE …"); any other statement,
// or a COPY, sends it just before (the session's statement hook, installed by
// watch_statements). Nothing changes for the transaction: its snapshot is taken at its
// first statement either way. A connection found lost by the statement that carried
// the BEGIN fails the unit of work as a conflict, so it is retried on a new connection.
void watch_statements(soci::session& session);
void defer_begin(soci::session& session, std::string begin_statement);
// Sends the deferred BEGIN now, if one is waiting (before using libpq directly).
void send_deferred_begin(soci::session& session);
// Ends the deferral when the transaction ends: false when its BEGIN never went out (no
// COMMIT or ROLLBACK must follow), true otherwise, and when nothing was deferred.
[[nodiscard]] bool end_deferred_begin(soci::session& session);
// Whether the session has lost its connection: libpq saw it fail, the server's closing
// words wait on the idle socket, or the last reconnection failed (no connection at all).
// A connection cut without a word (a network partition) is found by its next statement.
[[nodiscard]] bool connection_lost(soci::session& session);

// Forgets which hot statements a PostgreSQL connection has prepared (it is closing or
// lost them): each is prepared again on its next use.
void forget_prepared(soci::session& session);

// The values of a hot statement bound to a SOCI statement by name (SQLite), kept at
// fixed addresses until the statement is gone.
class BoundValues {
 public:
  void bind(soci::statement& statement, std::initializer_list<NamedValue> values);

 private:
  std::vector<long long> integers_;
  std::vector<std::string> texts_;
  std::vector<soci::indicator> indicators_;
};

// The rows of a query run once. SOCI's `session.prepare << …` makes PostgreSQL prepare
// the statement, run it and DEALLOCATE it: three round trips for one query. This runs
// it as a one-time query (PQexecParams): one round trip. Iterate it once, like a
// rowset; keep the bound values alive until the loop ends.
class Rows {
 public:
  template <class... Uses>
  Rows(soci::session& session, const std::string& sql, Uses&&... uses) : statement_(session) {
    (statement_.exchange(std::forward<Uses>(uses)), ...);
    statement_.alloc();
    statement_.prepare(sql, soci::details::st_one_time_query);
    statement_.define_and_bind();
    statement_.exchange_for_rowset(soci::into(row_));
    has_row_ = statement_.execute(true);
  }
  // A hot statement (see HotStatement) with its values.
  Rows(soci::session& session, const HotStatement& hot, std::initializer_list<NamedValue> values);
  // The statement holds the row by address: neither is to be copied or moved.
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows(Rows&&) = delete;
  Rows& operator=(Rows&&) = delete;
  ~Rows() = default;

  class Iterator {
   public:
    explicit Iterator(Rows* rows) : rows_(rows) {}
    const soci::row& operator*() const { return rows_->row_; }
    Iterator& operator++() {
      rows_->has_row_ = rows_->statement_.fetch();
      return *this;
    }
    // Only the end is ever compared against: equal once the rows are used up.
    bool operator!=(const Iterator& /*end*/) const { return rows_->has_row_; }

   private:
    Rows* rows_;
  };
  Iterator begin() { return Iterator(this); }
  Iterator end() { return Iterator(this); }

 private:
  void run(const std::string& sql);
  BoundValues values_;  // before the statement, which refers to them
  soci::statement statement_;
  soci::row row_;
  bool has_row_{false};
};

// The first row of a hot statement, made into a value by `from`, or nothing.
template <class From>
auto first_row(soci::session& session, const HotStatement& hot,
               std::initializer_list<NamedValue> values, From&& from)
    -> std::optional<std::invoke_result_t<From, const soci::row&>> {
  Rows rows(session, hot, values);
  for (const auto& row : rows) return from(row);
  return std::nullopt;
}

// Runs a hot statement (see HotStatement) and returns how many rows it changed.
long long execute_hot(soci::session& session, const HotStatement& hot,
                      std::initializer_list<NamedValue> values);

// Runs a statement once (one round trip, as Rows) and returns how many rows it changed.
template <class... Uses>
long long execute_once(soci::session& session, const std::string& sql, Uses&&... uses) {
  soci::statement statement(session);
  (statement.exchange(std::forward<Uses>(uses)), ...);
  statement.alloc();
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

// A value that a domain type could not be rebuilt from: the database holds data the
// core would refuse.
[[noreturn]] void corrupt(const std::string& what);

// Parses a stored value with a domain parser, or reports corruption.
template <class Parsed>
auto must(Parsed parsed, const char* what) {
  if (!parsed) corrupt(what);
  return std::move(*parsed);
}

// A conditional update that changes one row or none: true when it changed the row.
template <class... Uses>
bool changed(soci::session& session, const std::string& sql, Uses&&... uses) {
  return execute_once(session, sql, std::forward<Uses>(uses)...) == 1;
}

// The backends' own handles, for what SOCI does not offer (COPY, prepared statements
// kept per connection, SQLite functions). Only this file and sql_support.cpp know
// SOCI's backend classes.
struct ConnectionIdentity {
  const void* connection{nullptr};  // the libpq connection
  int server_pid{0};                // its server process: a reconnection changes it
  friend auto operator<=>(const ConnectionIdentity&, const ConnectionIdentity&) = default;
};
[[nodiscard]] ConnectionIdentity connection_identity(soci::session& session);
// The libpq connection of a PostgreSQL session (a PGconn*).
[[nodiscard]] void* libpq_connection(soci::session& session);
// The SQLSTATE of the PostgreSQL error being handled ("26000"), or "" for any other.
// Call it only inside a catch block.
[[nodiscard]] std::string sqlstate_in_flight();
// The sqlite3 handle of an SQLite session (a sqlite3*).
[[nodiscard]] void* sqlite_connection(soci::session& session);

}  // namespace lottery::db
