// lottery-bot: wires the database, the core, the chat layer and Telegram together.

#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "config.hpp"
#include "lottery/chat/chat_bot.hpp"
#include "lottery/core/maintenance_job.hpp"
#include "lottery/db/database.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/sms/http_sms_gateway.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "lottery/system/tz_database_zone.hpp"
#include "lottery/telegram/api_client.hpp"
#include "lottery/telegram/health.hpp"
#include "lottery/telegram/long_poller.hpp"
#include "lottery/telegram/public_site.hpp"
#include "lottery/telegram/sender.hpp"
#include "lottery/telegram/webhook_server.hpp"
#include "verifier_page.hpp"

namespace lottery::bot {
namespace {

// How the process ends: a signal (0), or a reason to stop with an error.
class Ending {
 public:
  void finish(int code) {
    {
      std::lock_guard lock(mutex_);
      if (code_) return;
      code_ = code;
    }
    done_.notify_all();
  }
  int wait() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return code_.has_value(); });
    return *code_;
  }
  [[nodiscard]] bool finished() {
    std::lock_guard lock(mutex_);
    return code_.has_value();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::optional<int> code_;
};

// Exit codes: 2 a bad setting, 3 another instance polls, 4 Telegram refused the token.
constexpr int kBadSetting = 2;
constexpr int kConflict = 3;
constexpr int kTokenRefused = 4;

// SIGTERM and SIGINT end the bot through `ending`. They are blocked in every thread
// and taken by this one (sigtimedwait), which is joined before `ending` goes away.
class SignalWatcher {
 public:
  explicit SignalWatcher(Ending& ending) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    thread_ = std::jthread([this, &ending](const std::stop_token& stop) {
      const timespec poll{0, 200'000'000};
      while (!stop.stop_requested()) {
        const int received = sigtimedwait(&signals_, nullptr, &poll);
        if (received > 0) {
          spdlog::info("signal {}: stopping", received);
          ending.finish(0);
          return;
        }
      }
    });
  }

 private:
  sigset_t signals_{};
  std::jthread thread_;
};

// Retries a Bot API call at start until it answers; a refused token ends the bot.
std::optional<telegram::ApiResponse> call_at_start(telegram::ApiClient& client,
                                                   std::string_view method, const std::string& body,
                                                   Ending& ending) {
  std::chrono::milliseconds backoff{500};
  while (!ending.finished()) {
    auto response = client.call(method, body);
    if (response.ok ||
        (response.error_code >= 400 && response.error_code < 500 && response.error_code != 429)) {
      return response;
    }
    spdlog::warn("telegram: {} failed ({} {}), retrying in {} ms", method, response.error_code,
                 response.description, backoff.count());
    for (auto waited = std::chrono::milliseconds{0}; waited < backoff && !ending.finished();
         waited += std::chrono::milliseconds{100}) {
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds{30000});
  }
  return std::nullopt;
}

// The database of DATABASE_URL, migrated; nothing (and the reason said) when it fails.
std::unique_ptr<db::Database> open_database(const Config& config) {
  const auto url = db::parse_database_url(config.database_url);
  if (!url) {
    std::cerr << "lottery-bot: " << url.error() << '\n';
    return nullptr;
  }
  try {
    auto database = db::Database::connect(*url, config.database_pool_size);
    const auto report = database->migrate();
    for (const auto& file : report.adopted) spdlog::info("database: adopted {}", file);
    for (const auto& file : report.applied) spdlog::info("database: applied {}", file);
    spdlog::info("database: {} ready", url->redacted);
    return database;
  } catch (const db::MigrationError& error) {
    spdlog::critical("DATABASE_URL: {}: migration {} failed: {}", url->redacted, error.file(),
                     error.what());
  } catch (const std::exception& error) {
    spdlog::critical("DATABASE_URL: cannot use {}: {}", url->redacted, error.what());
  }
  return nullptr;
}

// The chat and the sender the HTTP server hands webhook updates to, once they exist:
// the server is bound before Telegram is contacted, and answers 503 until then.
struct WebhookTarget {
  std::atomic<chat::ChatBot*> chat{nullptr};
  std::function<void()> on_queued;
};

std::unique_ptr<telegram::WebhookServer> start_http_server(const Config& config,
                                                           telegram::HealthMonitor& health,
                                                           WebhookTarget& target,
                                                           telegram::PublicSite* site) {
  if (config.mode != Mode::kWebhook && !config.listen_set && site == nullptr) return nullptr;
  telegram::WebhookServerOptions options;
  // Serving only the public pages (PUBLIC_URL, no LISTEN): for the proxy in front on
  // this host, not for the world.
  const bool pages_only = config.mode != Mode::kWebhook && !config.listen_set;
  options.host = pages_only ? "127.0.0.1" : config.listen_host;
  options.port = config.listen_port;
  options.max_connections = config.max_connections;
  options.health = [&health] { return health.report(); };
  if (site != nullptr) options.site = [site](std::string_view path) { return site->get(path); };
  if (config.mode == Mode::kWebhook) {
    options.path = telegram::url_path(config.webhook_url);
    options.secret = config.webhook_secret;
  }
  const std::string secret = options.secret;
  const std::string listening_host = options.host;
  auto server = std::make_unique<telegram::WebhookServer>(
      std::move(options), [&target, secret](const telegram::WebhookRequest& request) {
        chat::ChatBot* chat = target.chat.load();
        if (chat == nullptr) return telegram::WebhookResponse{503, "text/plain", "starting"};
        return telegram::handle_webhook(request, secret, *chat, target.on_queued);
      });
  spdlog::info("http: listening on {}:{}", listening_host, server->port());
  return server;
}

Settings settings_of(const Config& config) {
  Settings settings;
  for (const auto id : config.admin_ids) settings.admins.insert(TelegramUserId{id});
  if (config.announce_chat_id) settings.announce_chat = ChatId{*config.announce_chat_id};
  settings.claim_window = config.claim_window;
  return settings;
}

// The command menus: clients' for everyone, all of them in each admin's chat.
void set_menus(telegram::ApiClient& client, const Config& config) {
  (void)client.call("setMyCommands",
                    telegram::set_commands_body(chat::ChatBot::client_commands(), std::nullopt));
  for (const auto admin : config.admin_ids) {
    (void)client.call("setMyCommands",
                      telegram::set_commands_body(chat::ChatBot::admin_commands(), admin));
  }
}

// The maintenance job (expiry, reminders, old update ids) every interval.
void run_jobs(const std::stop_token& stop, MaintenanceJob& job, telegram::Sender& sender,
              std::chrono::seconds interval) {
  while (!stop.stop_requested()) {
    const MaintenanceReport report = job.run_once();
    if (report.expired > 0) spdlog::info("jobs: {} wins expired", report.expired);
    if (report.reminded > 0) spdlog::info("jobs: {} winners reminded", report.reminded);
    if (report.store_unavailable) spdlog::warn("jobs: the database is unavailable");
    sender.notify();
    telegram::nap(stop, interval);
  }
}

// Asks the database something every two seconds, for /healthz.
void check_database(const std::stop_token& stop, db::Database& database,
                    telegram::HealthMonitor& health) {
  while (!stop.stop_requested()) {
    try {
      database.ping();
      health.database_checked(true);
    } catch (const std::exception& error) {
      health.database_checked(false, error.what());
    }
    telegram::nap(stop, std::chrono::seconds{2});
  }
}

// Long polling until stopped; a conflict or a refused token ends the bot.
void run_polling(const std::stop_token& stop, telegram::LongPoller& poller, Ending& ending) {
  switch (poller.run(stop)) {
    case telegram::PollingEnd::kConflict:
      ending.finish(kConflict);
      break;
    case telegram::PollingEnd::kUnauthorized:
      ending.finish(kTokenRefused);
      break;
    case telegram::PollingEnd::kStopped:
      break;
  }
}

// What the bot runs on, set up before Telegram is contacted.
struct Ground {
  const Config& config;
  Ending& ending;
  db::Database& database;
  telegram::HealthMonitor& health;
  WebhookTarget& webhook_target;
  telegram::WebhookServer* http;  // null without an HTTP server
};

// Tells Telegram where updates go: the webhook (the chat is ready first), or long
// polling on a thread of its own, returned.
std::jthread take_updates(const Ground& ground, telegram::ApiClient& setup_client,
                          chat::ChatBot& chat, telegram::LongPoller& poller) {
  const Config& config = ground.config;
  if (config.mode == Mode::kWebhook) {
    ground.webhook_target.chat = &chat;  // before Telegram is told where to deliver
    const auto set = setup_client.call(
        "setWebhook", telegram::set_webhook_body(config.webhook_url, config.webhook_secret));
    if (!set.ok) {
      spdlog::critical("WEBHOOK_URL: setWebhook refused ({} {})", set.error_code, set.description);
      ground.ending.finish(set.error_code == 401 ? kTokenRefused : 1);
    }
    return {};
  }
  // A webhook left from a run in webhook mode would make every getUpdates a 409.
  const auto removed = setup_client.call("deleteWebhook", R"({"drop_pending_updates":false})");
  if (!removed.ok) {
    spdlog::warn("telegram: deleteWebhook failed ({} {})", removed.error_code, removed.description);
  }
  ground.health.watch(
      "poller", [&poller] { return poller.last_round(); }, std::chrono::seconds{180});
  spdlog::info("telegram: long polling");
  Ending& ending = ground.ending;
  return std::jthread(
      [&poller, &ending](const std::stop_token& stop) { run_polling(stop, poller, ending); });
}

// Who the bot is on Telegram (getMe); nothing when it must stop, with its exit code.
std::optional<std::string> bot_username(telegram::ApiClient& setup_client, Ending& ending,
                                        int& exit_code) {
  const auto me = call_at_start(setup_client, "getMe", "{}", ending);
  if (!me) {
    exit_code = ending.wait();
    return std::nullopt;
  }
  if (!me->ok) {
    spdlog::critical("TELEGRAM_BOT_TOKEN: getMe refused ({} {}): check the token", me->error_code,
                     me->description);
    exit_code = me->error_code == 401 ? kTokenRefused : 1;
    return std::nullopt;
  }
  const auto username = telegram::parse_username(me->result).value_or("");
  spdlog::info("telegram: running as @{}", username);
  return username;
}

// The bot on its ground: the chat, the sender, the jobs and the updates, until it ends.
int run_bot(const Ground& ground) {
  const Config& config = ground.config;
  system::SystemClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness draw_randomness;
  // R-2FA-1: with a gateway, a button confirmation also needs the code sent by SMS.
  std::unique_ptr<sms::HttpSmsGateway> sms_gateway;
  if (!config.sms_gateway_url.empty()) {
    sms_gateway = std::make_unique<sms::HttpSmsGateway>(sms::GatewaySettings{
        config.sms_gateway_url, config.sms_gateway_method, config.sms_gateway_auth});
    spdlog::info("second factor: button confirmations need a code sent by SMS");
  }
  const Dependencies deps{ground.database,  clock, random, draw_randomness, settings_of(config),
                          sms_gateway.get()};
  const telegram::ApiEndpoint endpoint{config.api_url, config.token, config.ca_file};
  const auto make_client = [&endpoint] { return std::make_unique<telegram::ApiClient>(endpoint); };
  telegram::ApiClient setup_client(endpoint);
  int exit_code = 0;
  const auto username = bot_username(setup_client, ground.ending, exit_code);
  if (!username) return exit_code;
  // Checked when the configuration was read: the zone is there.
  const auto zone = system::TzDatabaseZone::locate(config.time_zone);
  chat::ChatBot chat(
      deps, ground.database,
      chat::ChatSettings{*username, config.admin_contact, zone.get(), config.public_url});
  set_menus(setup_client, config);

  telegram::ApiClient sender_client(endpoint);
  std::array<char, 256> host{};
  (void)gethostname(host.data(), host.size() - 1);
  const std::string instance = instance_name(config, host.data());
  spdlog::info("instance: {}", instance);
  telegram::Sender sender(sender_client, chat, deps, telegram::SendLimits{config.send_rate},
                          instance, make_client);
  ground.health.watch(
      "sender", [&sender] { return sender.last_round(); }, std::chrono::seconds{180});
  std::jthread sending([&](const std::stop_token& stop) {
    if (sender.run(stop) == telegram::SenderEnd::kUnauthorized) {
      ground.ending.finish(kTokenRefused);
    }
  });
  MaintenanceJob maintenance(deps, ground.database, ground.database);
  std::jthread jobs([&](const std::stop_token& stop) {
    run_jobs(stop, maintenance, sender, config.job_interval);
  });
  ground.webhook_target.on_queued = [&sender] { sender.notify(); };
  telegram::ApiClient polling_client(endpoint);
  telegram::LongPoller poller(polling_client, chat, ground.webhook_target.on_queued,
                              std::chrono::seconds{25}, config.database_pool_size, make_client);
  std::jthread polling = take_updates(ground, setup_client, chat, poller);
  ground.health.started();
  const int code = ground.ending.wait();
  // The webhook's handlers use the chat: the server stops before the chat goes.
  if (ground.http != nullptr) ground.http->stop();
  return code;
}

int run(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  Ending ending;
  const SignalWatcher signals(ending);
  // Every setting is checked before anything outside this machine is contacted.
  if (const auto files = check_files(config); !files) {
    std::cerr << "lottery-bot: " << files.error() << '\n';
    return kBadSetting;
  }
  const std::unique_ptr<db::Database> database = open_database(config);
  if (!database) return 1;
  telegram::HealthMonitor health;
  WebhookTarget webhook_target;
  // R-VERIFY-1: the verifier page and the published draws, read from the database.
  system::HmacDrawRandomness site_randomness;
  std::unique_ptr<telegram::PublicSite> site;
  if (!config.public_url.empty()) {
    site = std::make_unique<telegram::PublicSite>(*database, site_randomness,
                                                  std::string(verifier_page()));
    spdlog::info("public pages: {}/verify", config.public_url);
  }
  std::unique_ptr<telegram::WebhookServer> http;
  try {
    http = start_http_server(config, health, webhook_target, site.get());
  } catch (const std::exception& error) {
    spdlog::critical("LISTEN: cannot listen on {}:{}: {}", config.listen_host, config.listen_port,
                     error.what());
    return kBadSetting;
  }
  std::jthread database_checks(
      [&](const std::stop_token& stop) { check_database(stop, *database, health); });
  const int code = run_bot(Ground{config, ending, *database, health, webhook_target, http.get()});
  if (http) http->stop();
  spdlog::info("stopped");
  return code;
}

}  // namespace
}  // namespace lottery::bot

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  for (const auto& argument : arguments) {
    if (argument == "--help" || argument == "-h") {
      std::cout << lottery::bot::usage();
      return 0;
    }
  }
  std::map<std::string, std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos) environment[text.substr(0, equals)] = text.substr(equals + 1);
  }
  const auto config = lottery::bot::parse_config(environment, arguments);
  if (!config) {
    std::cerr << "lottery-bot: " << config.error() << '\n';
    return lottery::bot::kBadSetting;
  }
  try {
    return lottery::bot::run(*config);
  } catch (const std::exception& error) {
    spdlog::critical("lottery-bot: {}", error.what());
    return 1;
  }
}
