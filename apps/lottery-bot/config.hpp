#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tl/expected.hpp>
#include <vector>

namespace lottery::bot {

enum class Mode { kPolling, kWebhook };

// The bot's configuration (SPEC §7): environment variables, each also accepted as a
// --kebab-case flag (flags win).
struct Config {
  std::string token;
  std::string api_url{"https://api.telegram.org"};
  std::string ca_file;
  std::string database_url{"sqlite:lottery.db"};
  std::size_t database_pool_size{4};
  std::set<std::int64_t> admin_ids;
  std::string admin_contact;
  std::optional<std::int64_t> announce_chat_id;
  std::chrono::seconds claim_window{std::chrono::hours{24}};
  // The IANA zone every time shown to people is in (R-TIME-1); checked against the
  // system's tz database when read.
  std::string time_zone{"Europe/Moscow"};
  // R-2FA-1: the SMS gateway of the second factor; no URL, no second factor.
  std::string sms_gateway_url;
  std::string sms_gateway_method{"GET"};
  std::string sms_gateway_auth;  // the Authorization header's value; never logged
  Mode mode{Mode::kPolling};
  std::string webhook_url;
  std::string webhook_secret;
  std::string listen_host{"0.0.0.0"};
  std::uint16_t listen_port{8080};
  // LISTEN was set: in polling mode the HTTP server (/healthz) runs there too.
  bool listen_set{false};
  // R-VERIFY-1: where the HTTP server is reachable from outside, without a trailing
  // '/'; it then serves the verifier page and the published draws, and the results
  // get a button to them. Empty: none.
  std::string public_url;
  // The HTTP server's connections open at once (the longest idle goes first past it).
  std::size_t max_connections{512};
  std::string log_level{"info"};
  double send_rate{30.0};
  std::chrono::seconds job_interval{10};
  // Unique among the instances sharing a database; empty: the host name, with the
  // webhook port in webhook mode (see instance_name()).
  std::string instance_name;
};

// The configured instance name, or one made of the host name (and the port).
[[nodiscard]] std::string instance_name(const Config& config, const std::string& host_name);

// Reads the configuration from the environment and the command line. An error is one
// line that names the setting (and never contains the token).
[[nodiscard]] tl::expected<Config, std::string> parse_config(
    const std::map<std::string, std::string>& environment,
    const std::vector<std::string>& arguments);

// What can only be checked on this machine (files), before anything is contacted: one
// line naming the setting when something is wrong.
[[nodiscard]] tl::expected<void, std::string> check_files(const Config& config);

// "3s", "90m", "24h", "2d": a positive duration.
[[nodiscard]] std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// The usage text of --help.
[[nodiscard]] std::string usage();

}  // namespace lottery::bot
