#include "lottery/db/database_url.hpp"

#include <gtest/gtest.h>

namespace lottery::db {
namespace {

TEST(DatabaseUrl, ParsesAPostgresqlUrl) {
  const auto url = parse_database_url("postgresql://club:s3cret@db.example:5433/lottery");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->dialect, Dialect::kPostgresql);
  EXPECT_EQ(url->connect_string,
            "host='db.example' port='5433' dbname='lottery' user='club' password='s3cret' "
            "connect_timeout='10'");
  EXPECT_EQ(url->database_name, "lottery");
  EXPECT_EQ(url->redacted, "postgresql://club:***@db.example:5433/lottery");
}

TEST(DatabaseUrl, DecodesEscapesAndQuotesValues) {
  const auto url =
      parse_database_url("postgres://us%40er:p%27a%20ss@127.0.0.1/my%20db?sslmode=require");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->connect_string,
            "host='127.0.0.1' dbname='my db' user='us@er' password='p\\'a ss' sslmode='require' "
            "connect_timeout='10'");
  EXPECT_EQ(url->redacted.find("a%20ss"), std::string::npos);
}

TEST(DatabaseUrl, AcceptsIpv6HostsAndNoCredentials) {
  const auto url = parse_database_url("postgresql://[::1]:5432/lottery");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->connect_string, "host='::1' port='5432' dbname='lottery' connect_timeout='10'");
}

// A connection attempt gives up after 10 s unless the URL says otherwise.
TEST(DatabaseUrl, KeepsTheUrlsOwnConnectTimeout) {
  const auto url = parse_database_url("postgresql://db.example/lottery?connect_timeout=3");
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(url->connect_string, "host='db.example' dbname='lottery' connect_timeout='3'");
  // A password that reads like the setting is only a password.
  const auto tricky = parse_database_url("postgresql://u:x%20connect_timeout%3D1@db/lottery");
  ASSERT_TRUE(tricky) << tricky.error();
  EXPECT_EQ(tricky->connect_string,
            "host='db' dbname='lottery' user='u' password='x connect_timeout=1' "
            "connect_timeout='10'");
}

TEST(DatabaseUrl, ParsesSqlitePaths) {
  const auto relative = parse_database_url("sqlite:lottery.db");
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->dialect, Dialect::kSqlite);
  EXPECT_EQ(relative->database_name, "lottery.db");
  EXPECT_EQ(relative->connect_string, "db=\"lottery.db\" timeout=5");
  const auto absolute = parse_database_url("sqlite:///var/lib/lottery/my club.db");
  ASSERT_TRUE(absolute);
  EXPECT_EQ(absolute->database_name, "/var/lib/lottery/my club.db");
}

TEST(DatabaseUrl, RefusesMalformedUrlsWithoutEchoingThePassword) {
  for (const std::string bad :
       {"", "mysql://u:p@h/db", "postgresql://u:topsecret@h:99999/db", "postgresql://u:topsecret@h",
        "postgresql://u:topsecret@h:12a/db", "postgresql://u:topsecret@h/db?x",
        "sqlite:", "postgresql://u:top%zzsecret@h/db", "postgresql://u:p@h/db?bad key=1"}) {
    const auto url = parse_database_url(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.error().rfind("DATABASE_URL: ", 0), 0U) << url.error();
    EXPECT_EQ(url.error().find("topsecret"), std::string::npos) << url.error();
  }
}

}  // namespace
}  // namespace lottery::db

namespace lottery::db {
namespace {

TEST(DatabaseUrl, MasksEveryPasswordItCarries) {
  const auto at_sign = parse_database_url("postgresql://club:p%40ss@word@db:5432/lottery");
  ASSERT_TRUE(at_sign) << at_sign.error();
  EXPECT_EQ(at_sign->redacted, "postgresql://club:***@db:5432/lottery");
  const auto in_query =
      parse_database_url("postgresql://club@db/lottery?sslmode=require&password=hunter2");
  ASSERT_TRUE(in_query) << in_query.error();
  EXPECT_EQ(in_query->redacted, "postgresql://club@db/lottery?sslmode=require&password=***");
  EXPECT_NE(in_query->connect_string.find("password='hunter2'"), std::string::npos);
}

}  // namespace
}  // namespace lottery::db
