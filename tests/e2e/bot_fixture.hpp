#pragma once

// The real lottery-bot as a child process, talking to our fake Bot API server: the
// fixture and helpers the end-to-end tests share.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <regex>

#include "fake_telegram.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {

inline const std::string kBot = std::string(LOTTERY_BIN_DIR) + "/lottery-bot";
inline const std::string kToken = "987654321:AAE2e-End_to_End_Token_Never_Logged_x";
inline constexpr std::int64_t kAdmin = 9000;
inline constexpr std::int64_t kAnnounce = -100777;

inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class BotFixture : public ::testing::Test {
 protected:
  void SetUp() override { database_ = make_postgres_database(); }

  void TearDown() override {
    using ::testing::HasSubstr;
    using ::testing::Not;
    if (bot_ && bot_->running()) stop();
    if (bot_) {
      EXPECT_THAT(bot_->log(), Not(HasSubstr(kToken))) << "the token appeared in the log";
    }
    if (HasFailure() && bot_) std::cerr << "---- bot log ----\n" << bot_->log();
  }

  EnvironmentChanges environment(const EnvironmentChanges& extra) const {
    EnvironmentChanges environment{{"TELEGRAM_BOT_TOKEN", kToken},
                                   {"TELEGRAM_API_URL", telegram_.base_url()},
                                   {"DATABASE_URL", database_->url_text()},
                                   {"ADMIN_IDS", std::to_string(kAdmin)},
                                   {"ADMIN_CONTACT", "@club_admin"},
                                   {"ANNOUNCE_CHAT_ID", std::to_string(kAnnounce)},
                                   {"JOB_INTERVAL", "1s"},
                                   {"LOG_LEVEL", "debug"},
                                   {"BOT_MODE", std::nullopt},
                                   {"CLAIM_WINDOW", std::nullopt},
                                   {"TIME_ZONE", std::nullopt}};
    for (const auto& [name, value] : extra) environment[name] = value;
    return environment;
  }

  void start(const EnvironmentChanges& extra = {}) {
    log_path_ = "/tmp/lottery-bot-e2e-" + std::to_string(::getpid()) + ".log";
    ::unlink(log_path_.c_str());
    std::vector<std::string> command = launcher_;
    command.push_back(kBot);
    bot_ = std::make_unique<ChildProcess>(command, environment(extra), log_path_);
    ASSERT_TRUE(telegram_.wait_until([](const FakeTelegram& fake) {
      for (const auto& call : fake.calls()) {
        if (call.method == "getUpdates" || call.method == "setWebhook") return true;
      }
      return false;
    })) << bot_->log();
  }

  // SIGTERM: the bot exits 0 within 5 seconds.
  void stop() {
    bot_->signal(SIGTERM);
    const auto code = bot_->wait(std::chrono::seconds{5});
    ASSERT_TRUE(code.has_value()) << "still running 5 s after SIGTERM";
    EXPECT_EQ(*code, 0);
  }

  // The newest message to `chat` containing `fragment`, once it arrives.
  std::optional<SentMessage> await(std::int64_t chat, const std::string& fragment,
                                   std::chrono::milliseconds limit = std::chrono::seconds{20}) {
    std::optional<SentMessage> found;
    telegram_.wait_until(
        [&](const FakeTelegram& fake) {
          for (const auto& message : fake.messages_to(chat)) {
            if (message.text.find(fragment) != std::string::npos) found = message;
          }
          return found.has_value();
        },
        limit);
    return found;
  }

  // Sends `text` from `user` and returns the bot's answer containing `expected`.
  SentMessage exchange(std::int64_t user, const std::string& text, const std::string& expected) {
    const std::size_t before = telegram_.messages_to(user).size();
    send(user, text);
    std::optional<SentMessage> answer;
    telegram_.wait_until(
        [&](const FakeTelegram& fake) {
          const auto messages = fake.messages_to(user);
          for (std::size_t i = before; i < messages.size(); ++i) {
            if (messages[i].text.find(expected) != std::string::npos) answer = messages[i];
          }
          return answer.has_value();
        },
        answer_limit_);
    EXPECT_TRUE(answer) << "no answer with «" << expected << "» to «" << text << "»";
    return answer.value_or(SentMessage{});
  }

  // An update from `user`, as Telegram would deliver it (polled, or posted by deliver_).
  std::int64_t send(std::int64_t user, const std::string& text) {
    const auto id = telegram_.push_message(user, text, user == 1 ? "Анна" : "Клиент");
    if (deliver_) deliver_(id);
    return id;
  }
  std::int64_t press(std::int64_t user, std::int64_t message_id, const std::string& data) {
    const auto id = telegram_.push_button(user, message_id, data);
    if (deliver_) deliver_(id);
    return id;
  }

  void register_client(std::int64_t user, const std::string& card) {
    exchange(user, "/start", "клубной карты");
    exchange(user, card, "Поделитесь номером");
    exchange(user, "Пропустить", "Регистрация завершена");
  }

  static std::string code_in(const std::string& text) {
    std::smatch match;
    const std::regex code("<code>([A-Z0-9]{8})</code>");
    return std::regex_search(text, match, code) ? match[1].str() : "";
  }

  static std::string button_in(const SentMessage& message) {
    std::smatch match;
    const std::regex data("\"callback_data\":\"(confirm_win_[0-9]+)\"");
    return std::regex_search(message.reply_markup, match, data) ? match[1].str() : "";
  }

  // Creates a lottery with these prizes and returns its id.
  std::string new_lottery(const std::string& title, const std::string& prizes) {
    exchange(kAdmin, "/new_lottery " + title, "Введите призы");
    const auto created = exchange(kAdmin, prizes, "создан");
    std::smatch match;
    const std::regex id("Розыгрыш #([0-9]+)");
    return std::regex_search(created.text, match, id) ? match[1].str() : "";
  }

  std::size_t winner_messages_to(std::int64_t user) const {
    std::size_t count = 0;
    for (const auto& message : telegram_.messages_to(user)) {
      count += message.text.find("ПОЗДРАВЛЯЕМ") != std::string::npos && !message.edit ? 1U : 0U;
    }
    return count;
  }

  FakeTelegram telegram_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ChildProcess> bot_;
  std::string log_path_;
  std::chrono::milliseconds answer_limit_{std::chrono::seconds{20}};
  // Run before the bot's path, e.g. {"/usr/bin/prlimit", "--nofile=128", "--"}.
  std::vector<std::string> launcher_;
  // Webhook mode: posts the update with this id to a bot (polling mode: unset).
  std::function<void(std::int64_t)> deliver_;
};

}  // namespace lottery::testing
