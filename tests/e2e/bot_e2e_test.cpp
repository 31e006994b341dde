// The real lottery-bot, run as a process against our fake Bot API server and a real
// PostgreSQL: the scenarios of the club's notes and the ways they can go wrong.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include "fake_telegram.hpp"
#include "process.hpp"
#include "test_databases.hpp"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBot = std::string(LOTTERY_BIN_DIR) + "/lottery-bot";
const std::string kToken = "987654321:AAE2e-End_to_End_Token_Never_Logged_x";
constexpr std::int64_t kAdmin = 9000;
constexpr std::int64_t kAnnounce = -100777;

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class BotEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override { database_ = make_postgres_database(); }

  void TearDown() override {
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
                                   {"CLAIM_WINDOW", std::nullopt}};
    for (const auto& [name, value] : extra) environment[name] = value;
    return environment;
  }

  void start(const EnvironmentChanges& extra = {}) {
    log_path_ = "/tmp/lottery-bot-e2e-" + std::to_string(::getpid()) + ".log";
    ::unlink(log_path_.c_str());
    bot_ = std::make_unique<ChildProcess>(std::vector<std::string>{kBot}, environment(extra),
                                          log_path_);
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
    telegram_.push_message(user, text, user == 1 ? "Анна" : "Клиент");
    std::optional<SentMessage> answer;
    telegram_.wait_until([&](const FakeTelegram& fake) {
      const auto messages = fake.messages_to(user);
      for (std::size_t i = before; i < messages.size(); ++i) {
        if (messages[i].text.find(expected) != std::string::npos) answer = messages[i];
      }
      return answer.has_value();
    });
    EXPECT_TRUE(answer) << "no answer with «" << expected << "» to «" << text << "»";
    return answer.value_or(SentMessage{});
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

 public:
  void run_full_cycle();

 protected:
  FakeTelegram telegram_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ChildProcess> bot_;
  std::string log_path_;
};

// The club's scenario 1: register, get an account, win, confirm.
TEST_F(BotEndToEnd, TheFullCycle) { run_full_cycle(); }

// The same on the embedded SQLite default, as `make run` starts it.
class BotOnSqlite : public BotEndToEnd {
 protected:
  void SetUp() override { database_ = make_sqlite_database(); }
};

TEST_F(BotOnSqlite, TheFullCycle) { run_full_cycle(); }

void BotEndToEnd::run_full_cycle() {
  start();
  EXPECT_TRUE(telegram_.wait_until([](const FakeTelegram& fake) {
    std::size_t menus = 0;
    for (const auto& call : fake.calls()) menus += call.method == "setMyCommands" ? 1U : 0U;
    return menus == 2;  // everyone's, and the admin's chat
  }));
  register_client(1, "2223");
  const auto profile = exchange(1, "/my_account", "Клубная карта: 2223");
  const std::string code = code_in(profile.text);
  ASSERT_EQ(code.size(), 8U);

  exchange(kAdmin, "/add_account 2223 11-22-33-44-55-66-77", "добавлен");
  EXPECT_TRUE(await(1, "К вашему профилю добавлен счет: 11-22-33-44-55-66-77"));
  const std::string lottery = new_lottery("Новогодний розыгрыш", "1 iPhone 15");
  exchange(kAdmin, "/enroll " + lottery + " all", "добавлено участников — 1");
  exchange(kAdmin, "/draw " + lottery, "проведён");
  const auto win = await(1, "ПОЗДРАВЛЯЕМ");
  ASSERT_TRUE(win);
  EXPECT_THAT(win->text, HasSubstr("Новогодний розыгрыш"));
  EXPECT_THAT(win->text, HasSubstr(code));
  EXPECT_TRUE(await(kAnnounce, "Итоги розыгрыша"));

  // A forged press by another user is refused; the owner's press confirms.
  register_client(2, "4445");
  const std::string button = button_in(*win);
  ASSERT_FALSE(button.empty());
  telegram_.push_button(2, win->message_id, button);
  EXPECT_TRUE(telegram_.wait_until([](const FakeTelegram& fake) {
    for (const auto& answer : fake.callback_answers()) {
      if (answer.find("другому участнику") != std::string::npos) return true;
    }
    return false;
  }));
  telegram_.push_button(1, win->message_id, button);
  EXPECT_TRUE(await(1, "Выигрыш подтвержден"));
  EXPECT_TRUE(await(kAdmin, "подтвержден победителем"));
  exchange(kAdmin, "/winner_status " + lottery, "✅ Подтвержден");
  stop();
}

// The club's scenario 2: an ownerless account wins, its owner registers and is linked.
TEST_F(BotEndToEnd, AnOwnerlessAccountWinsAndIsLinkedLater) {
  start();
  const std::string lottery = new_lottery("Лето", "1 Велосипед");
  exchange(kAdmin, "/add_accounts", "по одному на строку");
  const auto choice = exchange(kAdmin, "77-66-55-44-33-22-11", "В какой розыгрыш");
  telegram_.push_button(kAdmin, choice.message_id, "add_accounts:" + lottery);
  ASSERT_TRUE(await(kAdmin, "без владельца 1"));
  exchange(kAdmin, "/draw " + lottery, "проведён");
  EXPECT_TRUE(await(kAnnounce, "Счет 77-66-55-44-33-22-11 выиграл!"));

  register_client(5, "5555");
  exchange(kAdmin, "/add_account 5555 77-66-55-44-33-22-11", "привязан");
  const auto win = await(5, "ПОЗДРАВЛЯЕМ");
  ASSERT_TRUE(win);
  EXPECT_THAT(win->text, HasSubstr("осталось"));
  telegram_.push_button(5, win->message_id, button_in(*win));
  EXPECT_TRUE(await(5, "Выигрыш подтвержден"));
}

TEST_F(BotEndToEnd, ClientsCannotUseAdminCommands) {
  start();
  register_client(1, "2223");
  for (const std::string command :
       {"/new_lottery X", "/lotteries", "/enroll 1 all", "/draw 1",
        "/add_account 2223 11-22-33-44-55-66-77", "/add_accounts",
        "/remove_account 11-22-33-44-55-66-77", "/list_accounts 1", "/verify_winner AB23CD45 1",
        "/winner_status 1", "/check_unclaimed 1", "/redraw 1", "/extend_claim 1", "/prize_given 1",
        "/stats"}) {
    exchange(1, command, "Неизвестная команда");
  }
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM lotteries"), 0);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM accounts"), 0);
}

// A short claim window: the win expires, the winner and the admin are told, and the
// redraw gives the place to another account of the lottery.
TEST_F(BotEndToEnd, AWinExpiresAndIsRedrawn) {
  start({{"CLAIM_WINDOW", "3s"}});
  register_client(1, "2223");
  exchange(kAdmin, "/add_account 2223 11-11-11-11-11-11-11", "добавлен");
  exchange(kAdmin, "/add_account 2223 22-22-22-22-22-22-22", "добавлен");
  const std::string lottery = new_lottery("Быстрый", "1 Кружка");
  exchange(kAdmin, "/enroll " + lottery + " all", "добавлено участников — 2");
  exchange(kAdmin, "/draw " + lottery, "проведён");
  ASSERT_TRUE(await(1, "ПОЗДРАВЛЯЕМ"));
  ASSERT_TRUE(await(1, "Срок подтверждения выигрыша истек"));
  ASSERT_TRUE(await(kAdmin, "истек срок подтверждения"));
  exchange(kAdmin, "/redraw " + lottery, "новый победитель");
  EXPECT_TRUE(
      telegram_.wait_until([&](const FakeTelegram&) { return winner_messages_to(1) == 2; }));
}

TEST_F(BotEndToEnd, AnAdminVerifiesEachOfTwoWinningAccounts) {
  start();
  register_client(1, "2223");
  const std::string code = code_in(exchange(1, "/my_account", "Код верификации").text);
  exchange(kAdmin, "/add_account 2223 11-11-11-11-11-11-11", "добавлен");
  exchange(kAdmin, "/add_account 2223 22-22-22-22-22-22-22", "добавлен");
  const std::string lottery = new_lottery("Двойной", "1 Чайник\n2 Кружка");
  exchange(kAdmin, "/enroll " + lottery + " all", "добавлено участников — 2");
  exchange(kAdmin, "/draw " + lottery, "проведён");
  exchange(kAdmin, "/verify_winner " + code + " " + lottery, "укажите счет");
  exchange(kAdmin, "/verify_winner " + code + " " + lottery + " 11-11-11-11-11-11-11",
           "Выигрыш подтвержден");
  exchange(kAdmin, "/verify_winner " + code + " " + lottery + " 22-22-22-22-22-22-22",
           "Выигрыш подтвержден");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM winners WHERE status = 'claimed'"), 2);
}

TEST_F(BotEndToEnd, RegistrationSurvivesARestart) {
  start();
  exchange(1, "/start", "клубной карты");
  exchange(1, "2223", "Поделитесь номером");
  stop();
  start();
  exchange(1, "Пропустить", "Регистрация завершена");
}

// kill -9 while a draw's notifications go out: after a restart every winner is told,
// none more than once beyond the one message in flight at the kill.
TEST_F(BotEndToEnd, AKillDuringTheNotificationsLosesNoWinner) {
  start();
  constexpr int kClients = 6;
  for (int client = 1; client <= kClients; ++client) {
    register_client(client, std::to_string(3000 + client));
    exchange(kAdmin,
             "/add_account " + std::to_string(3000 + client) + " 10-00-00-00-00-00-" +
                 std::to_string(10 + client),
             "добавлен");
  }
  std::string prizes;
  for (int place = 1; place <= kClients; ++place) prizes += std::to_string(place) + " Приз\n";
  const std::string lottery = new_lottery("Крупный", prizes);
  exchange(kAdmin, "/enroll " + lottery + " all", "добавлено участников — 6");
  telegram_.delay("sendMessage", std::chrono::milliseconds{300});
  telegram_.push_message(kAdmin, "/draw " + lottery);
  ASSERT_TRUE(telegram_.wait_until([&](const FakeTelegram&) {
    std::size_t told = 0;
    for (int client = 1; client <= kClients; ++client) told += winner_messages_to(client);
    return told >= 2;
  }));
  bot_->signal(SIGKILL);
  ASSERT_TRUE(bot_->wait(std::chrono::seconds{5}).has_value());
  telegram_.delay("sendMessage", std::chrono::milliseconds{0});
  start();
  std::size_t total = 0;
  EXPECT_TRUE(telegram_.wait_until([&](const FakeTelegram&) {
    for (int client = 1; client <= kClients; ++client) {
      if (winner_messages_to(client) == 0) return false;
    }
    return true;
  }));
  for (int client = 1; client <= kClients; ++client) total += winner_messages_to(client);
  EXPECT_LE(total, static_cast<std::size_t>(kClients) + 1);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM winners"), kClients);
}

TEST_F(BotEndToEnd, RidesOutServerErrorsAndRateLimits) {
  telegram_.fail_next("getUpdates", 502, "Bad Gateway", std::nullopt, 2);
  telegram_.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1);
  start();
  exchange(1, "/help", "/my_account");
}

TEST_F(BotEndToEnd, AConflictStopsTheBotWithOneClearLine) {
  start();
  telegram_.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request",
                      std::nullopt, 5);
  telegram_.push_message(1, "/help");  // ends the poll in hand; the next one conflicts
  const auto code = bot_->wait(std::chrono::seconds{60});
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 3);
  EXPECT_THAT(bot_->log(), HasSubstr("409 Conflict"));
}

TEST_F(BotEndToEnd, WebhookModeChecksTheSecret) {
  const std::uint16_t port = free_port();
  start({{"BOT_MODE", "webhook"},
         {"WEBHOOK_URL", "https://bot.example.org/telegram"},
         {"WEBHOOK_SECRET", "s3cret"},
         {"LISTEN", "127.0.0.1:" + std::to_string(port)}});
  bool up = false;
  for (int attempt = 0; attempt < 100 && !up; ++attempt) {
    try {
      up = FakeTelegram::get(port, "/healthz").first == 200;
    } catch (const std::exception&) {
      ::usleep(50000);  // the server is not listening yet
    }
  }
  ASSERT_TRUE(up);
  const auto update = telegram_.push_message(1, "/help");
  EXPECT_EQ(
      FakeTelegram::post_webhook(port, "/telegram", "wrong", telegram_.update_json(update)).first,
      401);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM processed_updates"), 0);
  EXPECT_EQ(
      FakeTelegram::post_webhook(port, "/telegram", "s3cret", telegram_.update_json(update)).first,
      200);
  EXPECT_TRUE(await(1, "/my_account"));
  stop();
}

TEST(BotStart, AMissingOrBadSettingStopsItWithOneLine) {
  const auto missing = run_process({kBot}, {{"TELEGRAM_BOT_TOKEN", std::nullopt}});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("TELEGRAM_BOT_TOKEN"));
  EXPECT_THAT(missing.err, HasSubstr("@BotFather"));
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);
  const auto bad =
      run_process({kBot}, {{"TELEGRAM_BOT_TOKEN", kToken}, {"CLAIM_WINDOW", "forever"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("CLAIM_WINDOW"));
  EXPECT_THAT(bad.err, Not(HasSubstr(kToken)));
}

}  // namespace
}  // namespace lottery::testing
