#include "lottery/db/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "embedded_migrations.hpp"
#include "repositories.hpp"
#include "schema_migrations.hpp"
#include "sql_support.hpp"

namespace lottery::db {
namespace {

void identity(sqlite_api::sqlite3_context* context, int /*count*/,
              sqlite_api::sqlite3_value** values) {
  sqlite_api::sqlite3_result_value(context, values[0]);
}

// What every new or reconnected session needs before its first statement.
void prepare_session(soci::session& session, Dialect dialect) {
  if (dialect == Dialect::kPostgresql) {
    session << "SET client_min_messages = warning";
    // Texts go into EXECUTE as literals: no byte of a UTF-8 character is a quote.
    session << "SET client_encoding = 'UTF8'";
    watch_statements(session);
    return;
  }
  auto* handle = static_cast<sqlite_api::sqlite3*>(sqlite_connection(session));
  // The SQL shared with PostgreSQL converts times and flags through these functions;
  // SQLite already stores microseconds and 0/1, so they are identities here.
  for (const char* name : {"lottery_us", "lottery_ts", "lottery_flag"}) {
    if (sqlite_api::sqlite3_create_function_v2(handle, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                               nullptr, &identity, nullptr, nullptr,
                                               nullptr) != SQLITE_OK) {
      throw StorageError(StorageError::Kind::kUnavailable, "cannot register SQLite functions");
    }
  }
  session << "PRAGMA foreign_keys = ON";
  session << "PRAGMA busy_timeout = 5000";
  std::string mode;
  session << "PRAGMA journal_mode = WAL", soci::into(mode);
  session << "PRAGMA synchronous = NORMAL";
  // 256 KiB of page cache per connection instead of SQLite's 2 MiB: the bot's peak RSS
  // fell from 36-41 to 31-32 MiB with no measurable cost (the file's pages stay in the
  // kernel's cache); 128 KiB cost a fifth of the throughput (docs/PERFORMANCE.md).
  session << "PRAGMA cache_size = -256";
}

std::string quoted_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace

// A fixed set of connected sessions; a transaction leases one for its lifetime.
struct Database::Impl {
  DatabaseUrl url;
  std::mutex mutex;
  std::condition_variable released;
  std::vector<std::unique_ptr<soci::session>> sessions;
  std::vector<soci::session*> idle;
  std::mutex job_mutex;                        // guards job_session
  std::unique_ptr<soci::session> job_session;  // holds the jobs' advisory locks

  // A leased session, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(Impl& pool, soci::session& session) : pool_(&pool), session_(&session) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), session_(other.session_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_) pool_->release(*session_);
    }
    soci::session& session() { return *session_; }

   private:
    Impl* pool_;
    soci::session* session_;
  };

  Lease lease() {
    std::unique_lock lock(mutex);
    released.wait(lock, [&] { return !idle.empty(); });
    soci::session* session = idle.back();
    idle.pop_back();
    return Lease(*this, *session);
  }

  void release(soci::session& session) {
    (void)end_deferred_begin(session);  // nothing of this lease's transaction stays behind
    {
      std::lock_guard lock(mutex);
      idle.push_back(&session);
    }
    released.notify_one();
  }

  void open(soci::session& session) const {
    if (url.dialect == Dialect::kPostgresql) {
      session.open(*soci::factory_postgresql(), url.connect_string);
    } else {
      session.open(*soci::factory_sqlite3(), url.connect_string);
    }
    prepare_session(session, url.dialect);
  }

  // A session found to have lost its connection (connection_lost) connects again before
  // its next unit of work.
  void reconnect_if_lost(soci::session& session) const {
    if (connection_lost(session)) reconnect(session);
  }
  void reconnect(soci::session& session) const {
    forget_prepared(session);  // the next connection may look the same (address, pid)
    session.close();
    open(session);
  }

  const std::vector<EmbeddedMigration>& migrations() const {
    return url.dialect == Dialect::kPostgresql ? postgresql_migrations() : sqlite_migrations();
  }
};

namespace {

// An open database transaction, rolled back unless committed (like soci::transaction).
// On SQLite it begins IMMEDIATE, taking the write lock at once: two deferred
// transactions that both read and then write would otherwise fail one of them at
// once with SQLITE_BUSY, while an immediate one simply waits its turn (busy_timeout).
// A read-only one takes no lock: deferred on SQLite (WAL: a snapshot at its first read),
// REPEATABLE READ READ ONLY on PostgreSQL, whose BEGIN goes with the first statement.
class OpenTransaction {
 public:
  OpenTransaction(soci::session& session, Dialect dialect, bool read_only) : session_(session) {
    if (dialect == Dialect::kSqlite) {
      session_ << (read_only ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
    } else {
      defer_begin(session_,
                  read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    }
  }
  OpenTransaction(const OpenTransaction&) = delete;
  OpenTransaction& operator=(const OpenTransaction&) = delete;
  ~OpenTransaction() {
    if (done_ || !end_deferred_begin(session_)) return;  // nothing began: nothing to undo
    try {
      session_.rollback();
    } catch (...) {
      // A broken connection rolls back by itself.
    }
  }
  void commit() {
    if (end_deferred_begin(session_)) session_.commit();
    done_ = true;
  }

 private:
  soci::session& session_;
  bool done_{false};
};

// The domain repositories of a unit of work on one session, for a transaction
// (Interface = UpdateTransaction) or a savepoint (Interface = Transaction).
template <class Interface>
class SqlUnitOfWork : public Interface {
 public:
  SqlUnitOfWork(soci::session& session, Dialect dialect)
      : repositories_(make_repositories(session, dialect)) {}

  UserRepository& users() override { return *repositories_.users; }
  AccountRepository& accounts() override { return *repositories_.accounts; }
  LotteryRepository& lotteries() override { return *repositories_.lotteries; }
  EntryRepository& entries() override { return *repositories_.entries; }
  WinnerRepository& winners() override { return *repositories_.winners; }
  ReportQueries& reports() override { return *repositories_.reports; }
  Outbox& outbox() override { return *repositories_.outbox; }
  AuditLog& audit() override { return *repositories_.audit; }

 private:
  Repositories repositories_;
};

// A savepoint inside a transaction, for nested units of work.
class SqlSavepoint : public SqlUnitOfWork<Transaction> {
 public:
  SqlSavepoint(soci::session& session, Dialect dialect, int& counter)
      : SqlUnitOfWork<Transaction>(session, dialect),
        session_(session),
        dialect_(dialect),
        counter_(counter),
        name_("lottery_savepoint_" + std::to_string(++counter)) {
    guarded([&] { session_ << "SAVEPOINT " + name_; });
  }
  SqlSavepoint(const SqlSavepoint&) = delete;
  SqlSavepoint& operator=(const SqlSavepoint&) = delete;
  ~SqlSavepoint() override {
    if (released_) return;
    try {
      session_ << "ROLLBACK TO SAVEPOINT " + name_;
      session_ << "RELEASE SAVEPOINT " + name_;
    } catch (...) {
      // The enclosing transaction fails or rolls back anyway.
    }
  }

  std::unique_ptr<Transaction> nested() override {
    return std::make_unique<SqlSavepoint>(session_, dialect_, counter_);
  }

  void commit() override {
    guarded([&] { session_ << "RELEASE SAVEPOINT " + name_; });
    released_ = true;
  }

 private:
  soci::session& session_;
  Dialect dialect_;
  int& counter_;
  std::string name_;
  bool released_{false};
};

// A transaction of its own; it serves as an update's too (its chat repositories are
// made only when asked for).
class SqlTransaction : public SqlUnitOfWork<UpdateTransaction> {
 public:
  // Taken by reference: should making the repositories throw, the caller still holds
  // both and ends them in order, the transaction before the lease of its session.
  SqlTransaction(Database::Impl::Lease&& lease, std::unique_ptr<OpenTransaction>&& transaction,
                 Dialect dialect)
      : SqlUnitOfWork<UpdateTransaction>(lease.session(), dialect),
        lease_(std::move(lease)),
        transaction_(std::move(transaction)),
        dialect_(dialect) {}

  DialogueRepository& dialogues() override {
    if (!dialogues_) dialogues_ = make_dialogues(lease_.session());
    return *dialogues_;
  }
  ProcessedUpdates& updates() override {
    if (!updates_) updates_ = make_updates(lease_.session());
    return *updates_;
  }

  std::unique_ptr<Transaction> nested() override {
    return std::make_unique<SqlSavepoint>(lease_.session(), dialect_, savepoints_);
  }

  void commit() override {
    guarded([&] { transaction_->commit(); });
  }

 private:
  // Destroyed in reverse: the transaction (rolled back unless committed), then the
  // lease (the session goes back to the pool), then the repositories of the base.
  Database::Impl::Lease lease_;
  std::unique_ptr<OpenTransaction> transaction_;
  Dialect dialect_;
  int savepoints_{0};
  std::unique_ptr<DialogueRepository> dialogues_;
  std::unique_ptr<ProcessedUpdates> updates_;
};

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::connect(const DatabaseUrl& url, std::size_t pool_size) {
  auto impl = std::make_unique<Impl>();
  impl->url = url;
  guarded([&] {
    for (std::size_t i = 0; i < std::max<std::size_t>(pool_size, 1); ++i) {
      auto session = std::make_unique<soci::session>();
      impl->open(*session);
      impl->idle.push_back(session.get());
      impl->sessions.push_back(std::move(session));
    }
  });
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

std::unique_ptr<Transaction> Database::begin() { return open(false); }

std::unique_ptr<Transaction> Database::begin_read_only() { return open(true); }

std::unique_ptr<UpdateTransaction> Database::begin_update() { return open(false); }

std::unique_ptr<UpdateTransaction> Database::open(bool read_only) {
  auto lease = impl_->lease();
  std::unique_ptr<OpenTransaction> transaction;
  const Dialect dialect = impl_->url.dialect;
  guarded([&] {
    impl_->reconnect_if_lost(lease.session());
    try {
      transaction = std::make_unique<OpenTransaction>(lease.session(), dialect, read_only);
    } catch (const soci::sqlite3_soci_error&) {
      // SQLite: another connection held the write lock past busy_timeout.
      transaction = std::make_unique<OpenTransaction>(lease.session(), dialect, read_only);
    }
  });
  return std::make_unique<SqlTransaction>(std::move(lease), std::move(transaction),
                                          impl_->url.dialect);
}

void Database::ping() {
  auto lease = impl_->lease();
  soci::session& session = lease.session();
  guarded([&] {
    try {
      impl_->reconnect_if_lost(session);
      session << "SELECT 1";
    } catch (const soci::soci_error&) {
      impl_->reconnect(session);  // the server may have restarted since the last statement
      session << "SELECT 1";
    }
  });
}

Dialect Database::dialect() const { return impl_->url.dialect; }
const std::string& Database::database_name() const { return impl_->url.database_name; }

namespace {

// A job's advisory lock is keyed by the database and schema too: test schemas share
// one server, and so may two clubs.
constexpr const char* kJobLockKey =
    "hashtext(current_database() || '/' || current_schema()), hashtext(:job)";

class GrantedJobLock : public Database::JobLock {};

class AdvisoryJobLock : public Database::JobLock {
 public:
  AdvisoryJobLock(std::unique_lock<std::mutex> hold, soci::session& session, std::string job)
      : hold_(std::move(hold)), session_(session), job_(std::move(job)) {}
  AdvisoryJobLock(const AdvisoryJobLock&) = delete;
  AdvisoryJobLock& operator=(const AdvisoryJobLock&) = delete;
  ~AdvisoryJobLock() override {
    try {
      int unlocked = 0;
      session_ << std::string("SELECT CASE WHEN pg_advisory_unlock(") + kJobLockKey +
                      ") THEN 1 ELSE 0 END",
          soci::use(job_, "job"), soci::into(unlocked);
    } catch (const std::exception&) {
      // The connection is gone, and the lock with it.
    }
  }

 private:
  std::unique_lock<std::mutex> hold_;
  soci::session& session_;
  std::string job_;
};

}  // namespace

// A session of its own, outside the pool, so holding a job's lock never starves the
// job's own transactions (a pool of one would deadlock).
std::unique_ptr<Database::JobLock> Database::try_lock_job(std::string_view job) {
  if (impl_->url.dialect == Dialect::kSqlite) return std::make_unique<GrantedJobLock>();
  std::unique_lock hold(impl_->job_mutex);
  std::string name(job);
  int locked = 0;
  const auto try_lock = [&] {
    if (!impl_->job_session) {
      auto session = std::make_unique<soci::session>();
      impl_->open(*session);
      impl_->job_session = std::move(session);
    }
    *impl_->job_session << std::string("SELECT CASE WHEN pg_try_advisory_lock(") + kJobLockKey +
                               ") THEN 1 ELSE 0 END",
        soci::use(name, "job"), soci::into(locked);
  };
  try {
    try_lock();
  } catch (const soci::soci_error&) {
    impl_->job_session.reset();
    guarded(try_lock);
  }
  if (locked != 1) return nullptr;
  return std::make_unique<AdvisoryJobLock>(std::move(hold), *impl_->job_session, name);
}

MigrationReport Database::migrate() {
  auto lease = impl_->lease();
  return apply_migrations(lease.session(), impl_->url.dialect, impl_->migrations());
}

std::vector<std::string> Database::pending_migrations() {
  auto lease = impl_->lease();
  return unapplied_migrations(lease.session(), impl_->url.dialect, impl_->migrations());
}

void Database::clear_all_data() {
  auto lease = impl_->lease();
  soci::session& session = lease.session();
  const Dialect dialect = impl_->url.dialect;
  guarded([&] {
    std::vector<std::string> tables;
    soci::rowset<std::string> rows =
        (session.prepare << (dialect == Dialect::kPostgresql
                                 ? "SELECT tablename FROM pg_tables WHERE schemaname = "
                                   "current_schema() AND tablename <> 'schema_migrations' "
                                   "ORDER BY tablename"
                                 : "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                   "name <> 'schema_migrations' AND name NOT LIKE 'sqlite_%' "
                                   "ORDER BY name"));
    for (const auto& table : rows) tables.push_back(table);
    if (tables.empty()) return;
    soci::transaction transaction(session);
    if (dialect == Dialect::kPostgresql) {
      std::string statement = "TRUNCATE ";
      for (std::size_t i = 0; i < tables.size(); ++i) {
        if (i > 0) statement += ", ";
        statement += quoted_identifier(tables[i]);
      }
      session << statement + " RESTART IDENTITY CASCADE";
    } else {
      session << "PRAGMA defer_foreign_keys = ON";
      for (const std::string& table : tables) session << "DELETE FROM " + quoted_identifier(table);
      if (table_exists(session, dialect, "sqlite_sequence")) {
        session << "DELETE FROM sqlite_sequence";
      }
    }
    transaction.commit();
  });
}

}  // namespace lottery::db
