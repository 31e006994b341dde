#include "schema_migrations.hpp"

#include <set>

#include "sql_script.hpp"
#include "sql_support.hpp"

namespace lottery::db {

bool table_exists(soci::session& session, Dialect dialect, const std::string& table) {
  long long count = 0;
  std::string name = table;
  if (dialect == Dialect::kPostgresql) {
    session << "SELECT count(*) FROM information_schema.tables "
               "WHERE table_schema = current_schema() AND table_name = :name",
        soci::use(name, "name"), soci::into(count);
  } else {
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name",
        soci::use(name, "name"), soci::into(count);
  }
  return count > 0;
}

namespace {

// An arbitrary constant: the PostgreSQL advisory lock that serialises migrations of
// bot processes starting at the same time.
constexpr long long kMigrationLock = 7274002;

bool column_exists(soci::session& session, Dialect dialect, const std::string& table,
                   const std::string& column) {
  long long count = 0;
  std::string table_name = table;
  std::string column_name = column;
  if (dialect == Dialect::kPostgresql) {
    session << "SELECT count(*) FROM information_schema.columns WHERE table_schema = "
               "current_schema() AND table_name = :table AND column_name = :column",
        soci::use(table_name, "table"), soci::use(column_name, "column"), soci::into(count);
  } else {
    session << "SELECT count(*) FROM pragma_table_info(:table) WHERE name = :column",
        soci::use(table_name, "table"), soci::use(column_name, "column"), soci::into(count);
  }
  return count > 0;
}

std::set<std::string> applied_migrations(soci::session& session) {
  std::set<std::string> applied;
  soci::rowset<std::string> rows = (session.prepare << "SELECT version FROM schema_migrations");
  for (const auto& version : rows) applied.insert(version);
  return applied;
}

// The migrations a database of the first bot already has: its tables exist, the
// migration history does not.
std::vector<std::string> legacy_baseline(soci::session& session, Dialect dialect,
                                         const std::vector<EmbeddedMigration>& migrations) {
  if (!table_exists(session, dialect, "users")) return {};
  if (table_exists(session, dialect, "accounts")) {
    throw MigrationError("schema_migrations",
                         "the database has tables but no migration history, and its shape is "
                         "not the first bot's; refusing to guess");
  }
  const std::size_t count = column_exists(session, dialect, "users", "club_card_number") ? 2 : 1;
  std::vector<std::string> baseline;
  for (std::size_t i = 0; i < count && i < migrations.size(); ++i) {
    baseline.emplace_back(migrations[i].file);
  }
  return baseline;
}

// SQLite: takes the write lock at once, so two processes migrate one after the other.
void begin_exclusive(soci::session& session, Dialect dialect) {
  session << (dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

// Held while this process migrates (PostgreSQL: a session advisory lock), so that two
// starting instances do not migrate at once.
class MigrationLock {
 public:
  MigrationLock(soci::session& session, Dialect dialect)
      : session_(session), held_(dialect == Dialect::kPostgresql) {
    if (!held_) return;
    guarded([&] { session_ << "SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")"; });
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    if (!held_) return;
    try {
      session_ << "SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")";
    } catch (...) {
      // The lock ends with the session anyway.
    }
  }

 private:
  soci::session& session_;
  bool held_;
};

// The migration table, created on first use; a database of the first bot (without it)
// has the migrations its shape corresponds to recorded as adopted.
std::vector<std::string> ensure_migration_table(soci::session& session, Dialect dialect,
                                                const std::vector<EmbeddedMigration>& migrations) {
  std::vector<std::string> adopted;
  guarded([&] {
    begin_exclusive(session, dialect);
    try {
      if (!table_exists(session, dialect, "schema_migrations")) {
        adopted = legacy_baseline(session, dialect, migrations);
        session << (dialect == Dialect::kPostgresql
                        ? "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY, "
                          "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                        : "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, "
                          "applied_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - "
                          "2440587.5) * 86400000000 AS INTEGER)))");
        for (std::string version : adopted) {
          session << "INSERT INTO schema_migrations (version) VALUES (:version)",
              soci::use(version, "version");
        }
      }
      session.commit();
    } catch (...) {
      session.rollback();
      throw;
    }
  });
  return adopted;
}

// Applies one migration in its own transaction unless it is recorded; whether it ran.
bool apply_migration(soci::session& session, Dialect dialect, const EmbeddedMigration& migration) {
  const std::string file(migration.file);
  try {
    begin_exclusive(session, dialect);
    try {
      if (applied_migrations(session).contains(file)) {
        session.rollback();
        return false;
      }
      for (const std::string& statement : split_sql_script(migration.sql)) session << statement;
      std::string version = file;
      session << "INSERT INTO schema_migrations (version) VALUES (:version)",
          soci::use(version, "version");
      session.commit();
      return true;
    } catch (...) {
      session.rollback();
      throw;
    }
  } catch (const soci::soci_error& error) {
    throw MigrationError(file, error.get_error_message());
  }
}

}  // namespace

MigrationReport apply_migrations(soci::session& session, Dialect dialect,
                                 const std::vector<EmbeddedMigration>& migrations) {
  const MigrationLock lock(session, dialect);
  MigrationReport report;
  report.adopted = ensure_migration_table(session, dialect, migrations);
  for (const EmbeddedMigration& migration : migrations) {
    if (apply_migration(session, dialect, migration)) report.applied.emplace_back(migration.file);
  }
  return report;
}

std::vector<std::string> unapplied_migrations(soci::session& session, Dialect dialect,
                                              const std::vector<EmbeddedMigration>& migrations) {
  return guarded([&] {
    std::set<std::string> applied;
    if (table_exists(session, dialect, "schema_migrations")) {
      applied = applied_migrations(session);
    } else {
      const auto baseline = legacy_baseline(session, dialect, migrations);
      applied.insert(baseline.begin(), baseline.end());
    }
    std::vector<std::string> pending;
    for (const EmbeddedMigration& migration : migrations) {
      if (!applied.contains(std::string(migration.file))) pending.emplace_back(migration.file);
    }
    return pending;
  });
}

}  // namespace lottery::db
