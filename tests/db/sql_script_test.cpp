#include "sql_script.hpp"

#include <gtest/gtest.h>

namespace lottery::db {
namespace {

using Statements = std::vector<std::string>;

TEST(SqlScript, SplitsAtSemicolonsAndDropsComments) {
  EXPECT_EQ(
      split_sql_script("-- heading\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1); -- one\n"),
      (Statements{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"}));
}

TEST(SqlScript, KeepsSemicolonsInsideQuotesAndDollarBodies) {
  EXPECT_EQ(split_sql_script("INSERT INTO a VALUES ('x;y', 'it''s; fine');"
                             "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;"
                             "DO $body$ BEGIN PERFORM 1; END $body$;"),
            (Statements{"INSERT INTO a VALUES ('x;y', 'it''s; fine')",
                        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$",
                        "DO $body$ BEGIN PERFORM 1; END $body$"}));
}

TEST(SqlScript, KeepsTriggerBodiesWhole) {
  EXPECT_EQ(
      split_sql_script("CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n  SELECT RAISE(ABORT, 'no');\n"
                       "END;\nSELECT 1;"),
      (Statements{"CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n  SELECT RAISE(ABORT, 'no');\nEND",
                  "SELECT 1"}));
}

TEST(SqlScript, ADashInsideAStringIsNotAComment) {
  EXPECT_EQ(split_sql_script("SELECT '--not a comment';"),
            (Statements{"SELECT '--not a comment'"}));
}

TEST(SqlScript, EmptyScriptsGiveNothing) {
  EXPECT_TRUE(split_sql_script("").empty());
  EXPECT_TRUE(split_sql_script("  ;\n-- only a comment\n;").empty());
}

}  // namespace
}  // namespace lottery::db
