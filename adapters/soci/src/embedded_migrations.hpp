#pragma once

#include <string_view>
#include <vector>

namespace lottery::db {

struct EmbeddedMigration {
  std::string_view file;  // "003_accounts.sql"
  std::string_view sql;
};

// The files of migrations/postgresql and migrations/sqlite, in order (generated).
const std::vector<EmbeddedMigration>& postgresql_migrations();
const std::vector<EmbeddedMigration>& sqlite_migrations();

}  // namespace lottery::db
