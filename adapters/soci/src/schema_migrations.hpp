#pragma once

// The embedded migrations applied to a session, and those still to apply. Internal to
// the adapter (Database::migrate and Database::pending_migrations).

#include <soci/soci.h>

#include <string>
#include <vector>

#include "embedded_migrations.hpp"
#include "lottery/db/database.hpp"

namespace lottery::db {

// Applies every migration not yet recorded, each in its own transaction, while holding
// the migration lock (PostgreSQL: an advisory lock; SQLite: each takes the write lock).
// A database of the first bot has the migrations its shape corresponds to adopted.
[[nodiscard]] MigrationReport apply_migrations(soci::session& session, Dialect dialect,
                                               const std::vector<EmbeddedMigration>& migrations);

// The migrations not recorded yet, in order; changes nothing.
[[nodiscard]] std::vector<std::string> unapplied_migrations(
    soci::session& session, Dialect dialect, const std::vector<EmbeddedMigration>& migrations);

[[nodiscard]] bool table_exists(soci::session& session, Dialect dialect, const std::string& table);

}  // namespace lottery::db
