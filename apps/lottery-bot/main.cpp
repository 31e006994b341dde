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
#include "lottery/core/claim_service.hpp"
#include "lottery/db/database.hpp"
#include "lottery/ports/storage_error.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "lottery/telegram/api_client.hpp"
#include "lottery/telegram/long_poller.hpp"
#include "lottery/telegram/sender.hpp"
#include "lottery/telegram/webhook_server.hpp"

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

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::optional<int> code_;
};

// Retries a Bot API call at start until it answers; a refused token ends the bot.
std::optional<telegram::ApiResponse> call_at_start(telegram::ApiClient& client,
                                                   std::string_view method, const std::string& body,
                                                   const std::atomic<bool>& stopping) {
  std::chrono::milliseconds backoff{500};
  while (!stopping) {
    auto response = client.call(method, body);
    if (response.ok ||
        (response.error_code >= 400 && response.error_code < 500 && response.error_code != 429)) {
      return response;
    }
    spdlog::warn("telegram: {} failed ({} {}), retrying in {} ms", method, response.error_code,
                 response.description, backoff.count());
    for (auto waited = std::chrono::milliseconds{0}; waited < backoff && !stopping;
         waited += std::chrono::milliseconds{100}) {
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    backoff = std::min(backoff * 2, std::chrono::milliseconds{30000});
  }
  return std::nullopt;
}

int run(const Config& config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  // Signals are taken by a thread of their own (sigwait), never by the workers.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  Ending ending;
  static std::atomic<bool> stopping{false};
  std::thread signal_waiter([&ending, signals] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {}: stopping", received);
    stopping = true;
    ending.finish(0);
  });
  signal_waiter.detach();

  const auto url = db::parse_database_url(config.database_url);
  if (!url) {
    std::cerr << "lottery-bot: " << url.error() << '\n';
    return 2;
  }
  std::unique_ptr<db::Database> database;
  try {
    database = db::Database::connect(*url, config.database_pool_size);
    const auto report = database->migrate();
    for (const auto& file : report.adopted) spdlog::info("database: adopted {}", file);
    for (const auto& file : report.applied) spdlog::info("database: applied {}", file);
  } catch (const db::MigrationError& error) {
    spdlog::critical("database: migration {} failed: {}", error.file(), error.what());
    return 1;
  } catch (const StorageError& error) {
    spdlog::critical("database: cannot open {}: {}", url->redacted, error.what());
    return 1;
  }
  spdlog::info("database: {} ready", url->redacted);

  system::SystemClock clock;
  system::SecureRandom random;
  system::HmacDrawRandomness draw_randomness;
  Settings settings;
  for (const auto id : config.admin_ids) settings.admins.insert(TelegramUserId{id});
  if (config.announce_chat_id) settings.announce_chat = ChatId{*config.announce_chat_id};
  settings.claim_window = config.claim_window;
  const Dependencies deps{*database, clock, random, draw_randomness, settings};

  const telegram::ApiEndpoint endpoint{config.api_url, config.token, config.ca_file};
  telegram::ApiClient setup_client(endpoint);
  const auto me = call_at_start(setup_client, "getMe", "{}", stopping);
  if (!me) return 0;
  if (!me->ok) {
    spdlog::critical("telegram: getMe refused ({} {}): check TELEGRAM_BOT_TOKEN", me->error_code,
                     me->description);
    return 1;
  }
  const auto username = telegram::parse_username(me->result).value_or("");
  spdlog::info("telegram: running as @{}", username);

  chat::ChatBot chat(deps, chat::ChatSettings{username, config.admin_contact});

  // The command menus: clients' for everyone, all of them in each admin's chat.
  (void)setup_client.call(
      "setMyCommands", telegram::set_commands_body(chat::ChatBot::client_commands(), std::nullopt));
  for (const auto admin : config.admin_ids) {
    (void)setup_client.call("setMyCommands",
                            telegram::set_commands_body(chat::ChatBot::admin_commands(), admin));
  }

  telegram::ApiClient sender_client(endpoint);
  telegram::SendLimits limits;
  limits.messages_per_second = config.send_rate;
  std::array<char, 256> host{};
  (void)gethostname(host.data(), host.size() - 1);
  const std::string instance = instance_name(config, host.data());
  spdlog::info("instance: {}", instance);
  telegram::Sender sender(sender_client, chat, deps, limits, instance,
                          [&endpoint] { return std::make_unique<telegram::ApiClient>(endpoint); });
  std::jthread sending([&](const std::stop_token& stop) { sender.run(stop); });

  // Expiry and reminders (R-EXPIRE-1), and forgetting old update ids.
  std::jthread jobs([&](const std::stop_token& stop) {
    ClaimService claims(deps);
    while (!stop.stop_requested()) {
      try {
        // One instance at a time runs them; the others skip this round.
        if (const auto lock = database->try_lock_job("expiry-and-reminders")) {
          const auto expired = claims.expire_due();
          const auto reminded = claims.send_reminders();
          if (expired && !expired->empty()) spdlog::info("jobs: {} wins expired", expired->size());
          if (reminded && !reminded->empty())
            spdlog::info("jobs: {} winners reminded", reminded->size());
          if (!expired || !reminded) spdlog::warn("jobs: the database is unavailable");
          auto transaction = database->begin();
          transaction->updates().prune(clock.now() - std::chrono::hours{48});
          transaction->commit();
        }
      } catch (const StorageError& error) {
        spdlog::warn("jobs: the database is unavailable: {}", error.what());
      }
      sender.notify();
      telegram::nap(stop, config.job_interval);
    }
  });

  const auto wake_sender = [&sender] { sender.notify(); };
  std::unique_ptr<telegram::WebhookServer> webhook;
  telegram::ApiClient polling_client(endpoint);
  std::jthread polling;
  if (config.mode == Mode::kWebhook) {
    const auto set = setup_client.call(
        "setWebhook", telegram::set_webhook_body(config.webhook_url, config.webhook_secret));
    if (!set.ok) {
      spdlog::critical("telegram: setWebhook refused ({} {})", set.error_code, set.description);
      return 1;
    }
    webhook = std::make_unique<telegram::WebhookServer>(config.listen_host, config.listen_port,
                                                        config.webhook_secret, chat, wake_sender);
    spdlog::info("webhook: listening on {}:{}", config.listen_host, webhook->port());
  } else {
    // A webhook left from a run in webhook mode would make every getUpdates a 409.
    const auto removed = setup_client.call("deleteWebhook", R"({"drop_pending_updates":false})");
    if (!removed.ok) {
      spdlog::warn("telegram: deleteWebhook failed ({} {})", removed.error_code,
                   removed.description);
    }
    polling = std::jthread([&](const std::stop_token& stop) {
      // One worker per database connection: chats are handled side by side.
      telegram::LongPoller poller(
          polling_client, chat, wake_sender, std::chrono::seconds{25}, config.database_pool_size,
          [&endpoint] { return std::make_unique<telegram::ApiClient>(endpoint); });
      if (poller.run(stop) == telegram::PollingEnd::kConflict) ending.finish(3);
    });
    spdlog::info("telegram: long polling");
  }

  const int code = ending.wait();
  if (webhook) webhook->stop();
  polling.request_stop();
  sending.request_stop();
  jobs.request_stop();
  if (polling.joinable()) polling.join();
  sending.join();
  jobs.join();
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
    return 2;
  }
  try {
    return lottery::bot::run(*config);
  } catch (const std::exception& error) {
    spdlog::critical("lottery-bot: {}", error.what());
    return 1;
  }
}
