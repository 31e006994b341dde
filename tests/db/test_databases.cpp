#include "test_databases.hpp"

#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace lottery::testing {
namespace {

std::atomic<int> counter{0};

std::string unique_suffix() { return std::to_string(::getpid()) + "_" + std::to_string(counter++); }

db::DatabaseUrl parse(const std::string& url) {
  auto parsed = db::parse_database_url(url);
  if (!parsed) throw std::runtime_error(parsed.error());
  return *parsed;
}

std::unique_ptr<TestDatabase> finish(std::unique_ptr<db::Database> database, std::string url_text,
                                     std::function<void()> cleanup, bool migrate) {
  if (migrate) database->migrate();
  db::DatabaseUrl url = parse(url_text);
  return std::make_unique<TestDatabase>(std::move(database), std::move(url_text), std::move(url),
                                        std::move(cleanup));
}

}  // namespace

std::string postgres_base_url() {
  const char* url = std::getenv("LOTTERY_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "LOTTERY_TEST_POSTGRES_URL is not set: run the tests through "
                     "scripts/with-postgres (make test does)";
    throw std::runtime_error("no test PostgreSQL");
  }
  return url;
}

std::unique_ptr<TestDatabase> make_sqlite_database(bool migrate, std::size_t pool_size) {
  const auto path =
      std::filesystem::temp_directory_path() / ("lottery-test-" + unique_suffix() + ".db");
  const std::string url = "sqlite:" + path.string();
  auto database = db::Database::connect(parse(url), pool_size);
  auto cleanup = [path] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path.string() + suffix, ignored);
    }
  };
  return finish(std::move(database), url, cleanup, migrate);
}

std::unique_ptr<TestDatabase> make_postgres_database(bool migrate, std::size_t pool_size) {
  const std::string base = postgres_base_url();
  const std::string schema = "test_" + unique_suffix();
  const db::DatabaseUrl admin = parse(base);
  {
    soci::session session(*soci::factory_postgresql(), admin.connect_string);
    session << "SET client_min_messages = warning";
    session << "CREATE SCHEMA " + schema;
  }
  const std::string separator = base.find('?') == std::string::npos ? "?" : "&";
  const std::string url = base + separator + "options=-c%20search_path%3D" + schema;
  auto database = db::Database::connect(parse(url), pool_size);
  auto cleanup = [admin, schema] {
    try {
      soci::session session(*soci::factory_postgresql(), admin.connect_string);
      session << "SET client_min_messages = warning";
      session << "DROP SCHEMA " + schema + " CASCADE";
    } catch (const std::exception& error) {
      ADD_FAILURE() << "could not drop " << schema << ": " << error.what();
    }
  };
  return finish(std::move(database), url, cleanup, migrate);
}

long long TestDatabase::scalar(const std::string& query) const {
  long long value = 0;
  if (url_.dialect == db::Dialect::kPostgresql) {
    soci::session session(*soci::factory_postgresql(), url_.connect_string);
    session << query, soci::into(value);
  } else {
    soci::session session(*soci::factory_sqlite3(), url_.connect_string);
    session << query, soci::into(value);
  }
  return value;
}

void TestDatabase::execute(const std::string& statement) const {
  if (url_.dialect == db::Dialect::kPostgresql) {
    soci::session session(*soci::factory_postgresql(), url_.connect_string);
    session << "SET client_min_messages = warning";
    session << statement;
  } else {
    soci::session session(*soci::factory_sqlite3(), url_.connect_string);
    session << statement;
  }
}

}  // namespace lottery::testing
