#include "config.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "lottery/http/client.hpp"
#include "lottery/sms/http_sms_gateway.hpp"
#include "lottery/system/tz_database_zone.hpp"

namespace lottery::bot {
namespace {

struct Setting {
  const char* variable;  // TELEGRAM_BOT_TOKEN
  const char* meaning;
};

constexpr Setting kSettings[] = {
    {"TELEGRAM_BOT_TOKEN", "bot token from @BotFather (required)"},
    {"TELEGRAM_API_URL", "Bot API base URL (default https://api.telegram.org)"},
    {"TELEGRAM_CA_FILE", "extra CA certificate to trust for TELEGRAM_API_URL"},
    {"DATABASE_URL",
     "postgresql://user:pass@host:port/db or sqlite:PATH (default sqlite:lottery.db)"},
    {"DATABASE_POOL_SIZE", "database connections (default 4)"},
    {"ADMIN_IDS", "comma-separated Telegram user ids of the admins"},
    {"ADMIN_CONTACT", "shown to winners, e.g. @club_admin"},
    {"ANNOUNCE_CHAT_ID", "channel or group for public results"},
    {"CLAIM_WINDOW", "time to confirm a win: 3s, 90m, 24h (default 24h)"},
    {"TIME_ZONE", "IANA time zone of the times shown to people (default Europe/Moscow)"},
    {"SMS_GATEWAY_URL",
     "SMS gateway for the second factor: http(s) URL with {phone} and {text} (default: off)"},
    {"SMS_GATEWAY_METHOD", "GET or POST (default GET)"},
    {"SMS_GATEWAY_AUTH", "Authorization header for the SMS gateway, e.g. Bearer …"},
    {"BOT_MODE", "polling or webhook (default polling)"},
    {"WEBHOOK_URL", "public https URL of the webhook (webhook mode)"},
    {"WEBHOOK_SECRET", "secret token Telegram sends with each update (webhook mode)"},
    {"LISTEN",
     "IP:port of the HTTP server: the webhook and /healthz (default 0.0.0.0:8080; in polling "
     "mode the server runs only when set)"},
    {"MAX_CONNECTIONS", "HTTP connections open at once (default 512)"},
    {"PUBLIC_URL",
     "public https base URL of this bot's HTTP server: it serves the draw verifier page "
     "there and runs the server in polling mode too (default: none)"},
    {"LOG_LEVEL", "debug, info, warn or error (default info)"},
    {"SEND_RATE", "messages per second to Telegram (default 30)"},
    {"JOB_INTERVAL", "how often to expire wins and send reminders (default 10s)"},
    {"INSTANCE_NAME",
     "unique name of this instance on a shared database (default host name[:port])"},
};

std::string flag_of(std::string_view variable) {
  std::string flag = "--";
  for (const char c : variable) {
    flag.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return flag;
}

template <class Integer>
std::optional<Integer> parse_integer(std::string_view text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

tl::unexpected<std::string> bad(std::string_view variable, const std::string& why) {
  return tl::unexpected<std::string>(std::string(variable) + ": " + why);
}

bool valid_token(std::string_view token) {
  const auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || token.size() - colon - 1 < 20) return false;
  const bool digits =
      std::all_of(token.begin(), token.begin() + static_cast<std::ptrdiff_t>(colon),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  const bool rest = std::all_of(
      token.begin() + static_cast<std::ptrdiff_t>(colon) + 1, token.end(),
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
  return digits && rest;
}

// "http(s)://host[:port]" with at most a trailing '/': what `name` must be.
std::optional<std::string> base_url_problem(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos ||
      (url.substr(0, scheme) != "http" && url.substr(0, scheme) != "https")) {
    return "must start with http:// or https://";
  }
  std::string_view rest = url.substr(scheme + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return "must be the server's base URL without a path, e.g. https://api.telegram.org";
  }
  if (rest.empty() || rest.front() == ':' || rest.find_first_of(" \t@") != std::string_view::npos) {
    return "must name a host, e.g. https://api.telegram.org";
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.back() != ']') {
    const auto port = parse_integer<std::uint16_t>(rest.substr(colon + 1));
    if (!port || *port == 0) return "the port must be a number from 1 to 65535";
  }
  return std::nullopt;
}

bool is_ip_address(const std::string& host) {
  in6_addr address{};
  return ::inet_pton(AF_INET, host.c_str(), &address) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

using Values = std::map<std::string, std::string>;
using Parsed = tl::expected<void, std::string>;

const std::string* value_of(const Values& values, const char* variable) {
  const auto found = values.find(variable);
  return found == values.end() ? nullptr : &found->second;
}

// The settings given, by variable: the environment's, then the flags (flags win).
tl::expected<Values, std::string> collect_values(const Values& environment,
                                                 const std::vector<std::string>& arguments) {
  Values values;
  for (const auto& setting : kSettings) {
    if (const auto found = environment.find(setting.variable);
        found != environment.end() && !found->second.empty()) {
      values[setting.variable] = found->second;
    }
  }
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    const auto equals = argument.find('=');
    const std::string flag = argument.substr(0, equals);
    const auto setting =
        std::find_if(std::begin(kSettings), std::end(kSettings),
                     [&](const Setting& each) { return flag_of(each.variable) == flag; });
    if (setting == std::end(kSettings)) {
      return tl::unexpected<std::string>("unknown option " + flag + " (see --help)");
    }
    if (equals != std::string::npos) {
      values[setting->variable] = argument.substr(equals + 1);
    } else if (i + 1 < arguments.size()) {
      values[setting->variable] = arguments[++i];
    } else {
      return bad(setting->variable, "the option " + flag + " needs a value");
    }
  }
  return values;
}

// TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL, TELEGRAM_CA_FILE.
Parsed read_telegram(const Values& values, Config& config) {
  const auto get = [&](const char* variable) { return value_of(values, variable); };
  if (const auto* token = get("TELEGRAM_BOT_TOKEN")) {
    if (!valid_token(*token)) {
      return bad("TELEGRAM_BOT_TOKEN", "not a bot token (expected digits, ':' and the secret)");
    }
    config.token = *token;
  } else {
    return bad("TELEGRAM_BOT_TOKEN",
               "missing: create a bot with @BotFather in Telegram (/newbot) and set its token");
  }
  if (const auto* url = get("TELEGRAM_API_URL")) {
    if (const auto problem = base_url_problem(*url)) return bad("TELEGRAM_API_URL", *problem);
    config.api_url = *url;
  }
  if (const auto* file = get("TELEGRAM_CA_FILE")) config.ca_file = *file;
  return {};
}

// DATABASE_URL, DATABASE_POOL_SIZE.
Parsed read_database(const Values& values, Config& config) {
  const auto get = [&](const char* variable) { return value_of(values, variable); };
  if (const auto* url = get("DATABASE_URL")) config.database_url = *url;
  if (const auto* size = get("DATABASE_POOL_SIZE")) {
    const auto parsed = parse_integer<std::size_t>(*size);
    if (!parsed || *parsed == 0 || *parsed > 100)
      return bad("DATABASE_POOL_SIZE", "must be 1 to 100");
    config.database_pool_size = *parsed;
  }
  return {};
}

// SMS_GATEWAY_URL, SMS_GATEWAY_METHOD, SMS_GATEWAY_AUTH (R-2FA-1).
Parsed read_sms_gateway(const Values& values, Config& config) {
  if (const auto* url = value_of(values, "SMS_GATEWAY_URL")) config.sms_gateway_url = *url;
  if (const auto* method = value_of(values, "SMS_GATEWAY_METHOD")) {
    config.sms_gateway_method = *method;
  }
  if (const auto* auth = value_of(values, "SMS_GATEWAY_AUTH")) config.sms_gateway_auth = *auth;
  if (config.sms_gateway_url.empty()) return {};
  const sms::GatewaySettings settings{config.sms_gateway_url, config.sms_gateway_method,
                                      config.sms_gateway_auth};
  if (const auto problem = sms::check(settings)) {
    const bool about_method = problem->find("method") != std::string::npos;
    const bool about_auth = problem->find("authorization") != std::string::npos;
    return bad(about_method ? "SMS_GATEWAY_METHOD"
               : about_auth ? "SMS_GATEWAY_AUTH"
                            : "SMS_GATEWAY_URL",
               *problem);
  }
  return {};
}

// ADMIN_IDS, ADMIN_CONTACT, ANNOUNCE_CHAT_ID, CLAIM_WINDOW, TIME_ZONE.
Parsed read_club(const Values& values, Config& config) {
  const auto get = [&](const char* variable) { return value_of(values, variable); };
  if (const auto* ids = get("ADMIN_IDS")) {
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.empty()) continue;
      const auto id = parse_integer<std::int64_t>(item);
      if (!id || *id <= 0) {
        return bad("ADMIN_IDS", "«" + std::string(item) + "» is not a Telegram user id");
      }
      config.admin_ids.insert(*id);
    }
  }
  if (const auto* contact = get("ADMIN_CONTACT")) config.admin_contact = *contact;
  if (const auto* chat = get("ANNOUNCE_CHAT_ID")) {
    const auto id = parse_integer<std::int64_t>(*chat);
    if (!id || *id == 0) return bad("ANNOUNCE_CHAT_ID", "must be a chat id such as -1001234567890");
    config.announce_chat_id = *id;
  }
  if (const auto* window = get("CLAIM_WINDOW")) {
    const auto parsed = parse_duration(*window);
    if (!parsed) return bad("CLAIM_WINDOW", "must be a duration such as 3s, 90m or 24h");
    config.claim_window = *parsed;
  }
  if (auto refused = read_sms_gateway(values, config); !refused) return refused;
  if (const auto* zone = get("TIME_ZONE")) config.time_zone = *zone;
  if (!system::TzDatabaseZone::locate(config.time_zone)) {
    return bad("TIME_ZONE", "«" + config.time_zone +
                                "» is not a zone of the system's tz database (tzdata); use an "
                                "IANA name such as Europe/Moscow or Asia/Yekaterinburg");
  }
  return {};
}

// LISTEN: an IP address (or localhost) and a port.
Parsed read_listen(const std::string& listen, Config& config) {
  const auto colon = listen.rfind(':');
  const auto port = colon == std::string::npos
                        ? std::nullopt
                        : parse_integer<std::uint16_t>(listen.substr(colon + 1));
  if (!port || *port == 0 || colon == 0) {
    return bad("LISTEN", "must be IP:port with a port from 1 to 65535, e.g. 0.0.0.0:8080");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (!is_ip_address(host)) {
    return bad("LISTEN",
               "«" + host + "» is not an IP address (e.g. 0.0.0.0:8080 or 127.0.0.1:8080)");
  }
  config.listen_host = host;
  config.listen_port = *port;
  config.listen_set = true;
  return {};
}

// BOT_MODE, WEBHOOK_URL, WEBHOOK_SECRET, LISTEN, MAX_CONNECTIONS.
Parsed read_http(const Values& values, Config& config) {
  const auto get = [&](const char* variable) { return value_of(values, variable); };
  if (const auto* mode = get("BOT_MODE")) {
    if (*mode == "polling") {
      config.mode = Mode::kPolling;
    } else if (*mode == "webhook") {
      config.mode = Mode::kWebhook;
    } else {
      return bad("BOT_MODE", "must be polling or webhook");
    }
  }
  if (const auto* url = get("WEBHOOK_URL")) config.webhook_url = *url;
  if (const auto* secret = get("WEBHOOK_SECRET")) {
    const bool valid =
        secret->size() <= 256 && std::all_of(secret->begin(), secret->end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (!valid) return bad("WEBHOOK_SECRET", "1-256 characters of A-Z, a-z, 0-9, _ and -");
    config.webhook_secret = *secret;
  }
  if (const auto* listen = get("LISTEN")) {
    if (auto refused = read_listen(*listen, config); !refused) return refused;
  }
  if (const auto* connections = get("MAX_CONNECTIONS")) {
    const auto parsed = parse_integer<std::size_t>(*connections);
    if (!parsed || *parsed < 8 || *parsed > 100'000) {
      return bad("MAX_CONNECTIONS", "must be 8 to 100000");
    }
    config.max_connections = *parsed;
  }
  if (config.mode == Mode::kWebhook) {
    const auto scheme = config.webhook_url.find("://");
    if ((config.webhook_url.rfind("https://", 0) != 0 &&
         config.webhook_url.rfind("http://", 0) != 0) ||
        config.webhook_url.size() <= scheme + 3 || config.webhook_url[scheme + 3] == '/' ||
        config.webhook_url.find_first_of(" \t\r\n#") != std::string::npos) {
      return bad("WEBHOOK_URL",
                 "webhook mode needs the public URL of the webhook, e.g. "
                 "https://bot.example.org/telegram");
    }
    if (config.webhook_secret.empty()) {
      return bad("WEBHOOK_SECRET", "webhook mode needs a secret token");
    }
  }
  return {};
}

// PUBLIC_URL (R-VERIFY-1): https, as Telegram opens Mini Apps only there; plain http
// only on this machine (a test, or a proxy in front on the same host).
Parsed read_public_url(const Values& values, Config& config) {
  const auto* url = value_of(values, "PUBLIC_URL");
  if (url == nullptr) return {};
  const auto parsed = http::parse_url(*url);
  const bool loopback = parsed && (parsed->host == "127.0.0.1" || parsed->host == "localhost" ||
                                   parsed->host == "::1");
  // The path goes into buttons as it is: only characters a URL path may hold.
  const bool plain_path =
      parsed && std::all_of(parsed->target.begin(), parsed->target.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-._~/%!$&'()*+,;=:@").find(c) != std::string_view::npos;
      });
  if (!parsed || (!parsed->secure && !loopback) || !plain_path) {
    return bad("PUBLIC_URL",
               "must be the https base URL where the bot's HTTP server is reachable, e.g. "
               "https://bot.example.org/lottery");
  }
  config.public_url = *url;
  while (config.public_url.ends_with('/')) config.public_url.pop_back();
  // The public pages and the webhook share the server: their paths must not meet.
  if (config.mode == Mode::kWebhook) {
    const auto webhook = http::parse_url(config.webhook_url);
    const std::string path = webhook ? webhook->target.substr(0, webhook->target.find('?')) : "";
    if (path == "/verify" || path.starts_with("/lotteries/")) {
      return bad("WEBHOOK_URL", "must not be /verify or under /lotteries/ with PUBLIC_URL set");
    }
  }
  return {};
}

// LOG_LEVEL, SEND_RATE, JOB_INTERVAL, INSTANCE_NAME.
Parsed read_running(const Values& values, Config& config) {
  const auto get = [&](const char* variable) { return value_of(values, variable); };
  if (const auto* level = get("LOG_LEVEL")) {
    if (*level != "debug" && *level != "info" && *level != "warn" && *level != "error") {
      return bad("LOG_LEVEL", "must be debug, info, warn or error");
    }
    config.log_level = *level;
  }
  if (const auto* rate = get("SEND_RATE")) {
    const auto parsed = parse_integer<int>(*rate);
    if (!parsed || *parsed < 1 || *parsed > 1000) return bad("SEND_RATE", "must be 1 to 1000");
    config.send_rate = *parsed;
  }
  if (const auto* interval = get("JOB_INTERVAL")) {
    const auto parsed = parse_duration(*interval);
    if (!parsed) return bad("JOB_INTERVAL", "must be a duration such as 10s");
    config.job_interval = *parsed;
  }
  if (const auto* name = get("INSTANCE_NAME")) {
    const bool valid =
        !name->empty() && name->size() <= 64 && std::all_of(name->begin(), name->end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                 c == ':';
        });
    if (!valid) return bad("INSTANCE_NAME", "1-64 characters of A-Z, a-z, 0-9, _ - . :");
    config.instance_name = *name;
  }
  return {};
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const auto count = parse_integer<long long>(text.substr(0, text.size() - 1));
  if (!count || *count <= 0 || *count > 10'000'000) return std::nullopt;
  switch (unit) {
    case 's':
      return std::chrono::seconds{*count};
    case 'm':
      return std::chrono::seconds{*count * 60};
    case 'h':
      return std::chrono::seconds{*count * 3600};
    case 'd':
      return std::chrono::seconds{*count * 86400};
    default:
      return std::nullopt;
  }
}

std::string usage() {
  std::string text =
      "Usage: lottery-bot [--setting VALUE]...\n"
      "Each setting is an environment variable or the --flag beside it:\n";
  for (const auto& setting : kSettings) {
    text += "  " + std::string(setting.variable) + " / " + flag_of(setting.variable) + "\n      " +
            setting.meaning + "\n";
  }
  return text;
}

tl::expected<Config, std::string> parse_config(
    const std::map<std::string, std::string>& environment,
    const std::vector<std::string>& arguments) {
  const auto values = collect_values(environment, arguments);
  if (!values) return tl::unexpected(values.error());
  Config config;
  for (const auto read :
       {&read_telegram, &read_database, &read_club, &read_http, &read_public_url, &read_running}) {
    if (const auto read_well = read(*values, config); !read_well) {
      return tl::unexpected(read_well.error());
    }
  }
  return config;
}

tl::expected<void, std::string> check_files(const Config& config) {
  if (!config.ca_file.empty()) {
    struct stat status {};
    if (::stat(config.ca_file.c_str(), &status) != 0) {
      return bad("TELEGRAM_CA_FILE", config.ca_file + ": " + std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) return bad("TELEGRAM_CA_FILE", config.ca_file + ": not a file");
    if (::access(config.ca_file.c_str(), R_OK) != 0) {
      return bad("TELEGRAM_CA_FILE", config.ca_file + ": " + std::strerror(errno));
    }
  }
  return {};
}

std::string instance_name(const Config& config, const std::string& host_name) {
  if (!config.instance_name.empty()) return config.instance_name;
  if (config.mode == Mode::kWebhook) return host_name + ":" + std::to_string(config.listen_port);
  return host_name;
}

}  // namespace lottery::bot
