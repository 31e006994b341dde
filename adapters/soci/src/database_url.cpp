#include "lottery/db/database_url.hpp"

#include <cctype>
#include <optional>
#include <vector>

namespace lottery::db {
namespace {

tl::unexpected<std::string> bad(const std::string& why) {
  return tl::unexpected<std::string>("DATABASE_URL: " + why);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes of URLs; false on a broken escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

// A libpq connection parameter value, quoted so spaces and quotes survive.
std::string conninfo_value(const std::string& value) {
  std::string quoted = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('\'');
  return quoted;
}

bool valid_parameter_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

using Failure = std::optional<std::string>;  // why a part of the URL is refused

// A libpq conninfo string under construction: key='value' pairs.
struct Conninfo {
  std::string text;
  bool has_connect_timeout{false};
  void add(std::string_view key, const std::string& value) {
    has_connect_timeout = has_connect_timeout || key == "connect_timeout";
    if (!text.empty()) text.push_back(' ');
    text.append(key);
    text.push_back('=');
    text += conninfo_value(value);
  }
};

// "user:password@" of the authority (removed from it), into the conninfo and the
// redacted URL (the password as ***).
Failure read_userinfo(std::string_view& authority, Conninfo& connect, std::string& redacted) {
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view userinfo = authority.substr(0, at);
  authority = authority.substr(at + 1);
  const auto colon = userinfo.find(':');
  redacted += std::string(userinfo.substr(0, colon));
  if (colon != std::string_view::npos) redacted += ":***";
  redacted += "@";
  std::string user;
  if (!percent_decode(userinfo.substr(0, colon), user)) return "broken %-escape";
  if (!user.empty()) connect.add("user", user);
  if (colon != std::string_view::npos) {
    std::string password;
    if (!percent_decode(userinfo.substr(colon + 1), password)) return "broken %-escape";
    connect.add("password", password);
  }
  return std::nullopt;
}

// "host:port", "[v6]:port" or nothing (the socket directory's default).
Failure read_host_port(std::string_view authority, std::string& host, std::string& port) {
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "unclosed [ in the host";
    host = std::string(authority.substr(1, close - 1));
    authority = authority.substr(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return "unexpected text after the host";
      port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.rfind(':');
    host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = std::string(authority.substr(colon + 1));
  }
  if (port.empty()) return std::nullopt;
  for (const char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "the port is not a number";
  }
  if (port.size() > 5 || std::stoi(port) == 0 || std::stoi(port) > 65535) {
    return "the port is out of range";
  }
  return std::nullopt;
}

// "?key=value&…": libpq parameters, into the conninfo and the redacted URL.
Failure read_query(std::string_view query, Conninfo& connect, std::string& redacted) {
  std::string separator = "?";
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) return "query parameter without a value";
    std::string key;
    std::string value;
    if (!percent_decode(pair.substr(0, equals), key) ||
        !percent_decode(pair.substr(equals + 1), value)) {
      return "broken %-escape";
    }
    if (!valid_parameter_name(key)) return "bad query parameter name";
    connect.add(key, value);
    redacted +=
        separator + key + "=" + (key == "password" ? "***" : std::string(pair.substr(equals + 1)));
    separator = "&";
  }
  return std::nullopt;
}

tl::expected<DatabaseUrl, std::string> parse_postgresql(std::string_view rest) {
  std::string_view query;
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    return bad("no database name (expected postgresql://user:pass@host:port/db)");
  }
  std::string_view authority = rest.substr(0, slash);
  std::string database;
  if (!percent_decode(rest.substr(slash + 1), database)) return bad("broken %-escape");
  // The conninfo lists host, port, dbname, then the user and password, then the query.
  Conninfo credentials;
  std::string redacted = "postgresql://";
  if (const auto failure = read_userinfo(authority, credentials, redacted)) return bad(*failure);
  redacted += std::string(authority) + "/" + std::string(rest.substr(slash + 1));
  std::string host;
  std::string port;
  if (const auto failure = read_host_port(authority, host, port)) return bad(*failure);
  Conninfo connect;
  if (!host.empty()) connect.add("host", host);
  if (!port.empty()) connect.add("port", port);
  connect.add("dbname", database);
  if (!credentials.text.empty()) connect.text += " " + credentials.text;
  if (const auto failure = read_query(query, connect, redacted)) return bad(*failure);
  // A server that drops packets would otherwise hold a (re)connection for the kernel's
  // two minutes of SYN retries, and the worker waiting on it.
  if (!connect.has_connect_timeout) connect.add("connect_timeout", "10");
  DatabaseUrl parsed;
  parsed.dialect = Dialect::kPostgresql;
  parsed.connect_string = std::move(connect.text);
  parsed.database_name = database;
  parsed.redacted = std::move(redacted);
  return parsed;
}

}  // namespace

tl::expected<DatabaseUrl, std::string> parse_database_url(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite:";
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.substr(0, scheme.size()) == scheme) {
      return parse_postgresql(url.substr(scheme.size()));
    }
  }
  if (url.substr(0, kSqlite.size()) == kSqlite) {
    std::string_view path = url.substr(kSqlite.size());
    // sqlite:///abs/path and sqlite://rel are common spellings of the same thing.
    if (path.substr(0, 2) == "//") path.remove_prefix(2);
    if (path.empty()) return bad("no file path (expected sqlite:PATH)");
    if (path.find('"') != std::string_view::npos) return bad("the path contains a double quote");
    DatabaseUrl parsed;
    parsed.dialect = Dialect::kSqlite;
    parsed.database_name = std::string(path);
    parsed.connect_string = "db=\"" + parsed.database_name + "\" timeout=5";
    parsed.redacted = std::string(url);
    return parsed;
  }
  if (url.empty())
    return bad("empty (expected postgresql://user:pass@host:port/db or sqlite:PATH)");
  return bad("unknown scheme (expected postgresql://user:pass@host:port/db or sqlite:PATH)");
}

}  // namespace lottery::db
