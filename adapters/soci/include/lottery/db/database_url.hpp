#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace lottery::db {

enum class Dialect { kPostgresql, kSqlite };

// DATABASE_URL, understood: `postgresql://user:pass@host:port/db[?key=value...]`
// (also `postgres://`) or `sqlite:PATH`.
struct DatabaseUrl {
  Dialect dialect{Dialect::kSqlite};
  std::string connect_string;  // for SOCI; holds the password: never log it
  std::string database_name;   // the database's name, or the SQLite file's path
  std::string redacted;        // the URL with the password masked, fit for messages
};

// Parses the URL, or says in one line what is wrong with it (without the password).
[[nodiscard]] tl::expected<DatabaseUrl, std::string> parse_database_url(std::string_view url);

}  // namespace lottery::db
