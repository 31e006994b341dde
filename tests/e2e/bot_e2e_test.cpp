// The real lottery-bot, run as a process against our fake Bot API server and a real
// PostgreSQL: the scenarios of the club's notes and the ways they can go wrong.

#include "bot_fixture.hpp"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BotEndToEnd : public BotFixture {
 public:
  void run_full_cycle();
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

// The club's gaps, through the executable: a win found by its owner after it expired is
// told to them and renewed (R-UNOWNED-1, R-OWNER-1); the deadline is in the club's zone
// (R-TIME-1); the admin finds the client, renews their code and moves an account.
TEST_F(BotEndToEnd, AnExpiredWinReachesItsLateOwnerInTheClubsZone) {
  start({{"CLAIM_WINDOW", "3s"}, {"TIME_ZONE", "Asia/Yekaterinburg"}});
  const std::string lottery = new_lottery("Лето", "1 Велосипед");
  exchange(kAdmin, "/add_account 5555 77-66-55-44-33-22-11", "без владельца");
  exchange(kAdmin, "/enroll " + lottery + " all", "добавлено участников — 1");
  exchange(kAdmin, "/draw " + lottery, "проведён");
  ASSERT_TRUE(await(kAdmin, "истек срок подтверждения"));

  register_client(5, "5555");
  exchange(kAdmin, "/add_account 5555 77-66-55-44-33-22-11", "привязан");
  EXPECT_TRUE(await(5, "который теперь привязан к вам"));
  exchange(kAdmin, "/extend_claim 1 2", "Победитель получил уведомление");
  const auto renewed = await(5, "продлён");
  ASSERT_TRUE(renewed);
  EXPECT_THAT(renewed->text, HasSubstr("UTC+05)"));  // "(до DD.MM.YYYY HH:MM UTC+05)"

  const std::string card = exchange(kAdmin, "/find 5555", "👤").text;
  EXPECT_THAT(card, HasSubstr("карта 5555"));
  EXPECT_THAT(card, HasSubstr("77-66-55-44-33-22-11"));
  exchange(kAdmin, "/new_code 5555", "Новый код верификации отправлен");
  const auto code_message = await(5, "новый код верификации");
  ASSERT_TRUE(code_message);
  const std::string code = code_in(exchange(5, "/my_account", "Код верификации").text);
  EXPECT_THAT(code_message->text, HasSubstr(code));
  exchange(kAdmin, "/verify_winner " + code + " " + lottery, "Выигрыш подтвержден");

  register_client(6, "6666");
  exchange(kAdmin, "/move_account 77-66-55-44-33-22-11 6666", "передан клиенту");
  exchange(kAdmin, "/list_accounts 6666", "77-66-55-44-33-22-11");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM audit_events WHERE action IN "
                              "('account.moved', 'user.code_renewed', 'win.notified')"),
            2);  // the owner was told of the expiry and the extension, never "you won"
}

TEST_F(BotEndToEnd, ClientsCannotUseAdminCommands) {
  start();
  register_client(1, "2223");
  for (const std::string command :
       {"/new_lottery X", "/lotteries", "/enroll 1 all", "/draw 1",
        "/add_account 2223 11-22-33-44-55-66-77", "/add_accounts",
        "/remove_account 11-22-33-44-55-66-77", "/list_accounts 1", "/verify_winner AB23CD45 1",
        "/winner_status 1", "/check_unclaimed 1", "/redraw 1", "/extend_claim 1", "/prize_given 1",
        "/stats", "/find 2223", "/move_account 11-22-33-44-55-66-77 2223", "/new_code 2223"}) {
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

// Text that looks like SQL or HTML reaches PostgreSQL as typed (bound, never spliced
// into SQL) and comes back escaped.
TEST_F(BotEndToEnd, HostileLookingTextIsStoredAndShownVerbatim) {
  start();
  const std::string title = "x'); DROP TABLE users; -- <i>Приз</i> & \"Ко\"";
  const std::string id = new_lottery(title, "1 <script>alert(1)</script>");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM lotteries WHERE title = "
                              "'x''); DROP TABLE users; -- <i>Приз</i> & \"Ко\"'"),
            1);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM lottery_prizes WHERE prize = "
                              "'<script>alert(1)</script>'"),
            1);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM users"), 0);  // the table is still there
  const auto listed = exchange(kAdmin, "/lotteries", "DROP TABLE");
  EXPECT_THAT(listed.text, HasSubstr("&lt;i&gt;Приз&lt;/i&gt; &amp;"));
}

// Network and TLS errors name the URL they failed on: never with the token in it.
TEST(BotStart, TheTokenIsNeverLoggedEvenInUrlErrors) {
  for (const std::string url : {"http://127.0.0.1:1", "https://no-such-host.invalid"}) {
    const std::string log = "/tmp/lottery-bot-token-" + std::to_string(::getpid()) + ".log";
    ::unlink(log.c_str());
    ChildProcess bot({kBot},
                     {{"TELEGRAM_BOT_TOKEN", kToken},
                      {"TELEGRAM_API_URL", url},
                      {"DATABASE_URL", "sqlite:" + log + ".db"},
                      {"LOG_LEVEL", "debug"}},
                     log);
    // Two failed getMe calls, each logged with its error.
    for (int waited = 0; waited < 100; ++waited) {
      const std::string text = bot.log();
      if (text.find("retrying") != text.rfind("retrying")) break;
      ::usleep(50000);
    }
    bot.signal(SIGTERM);
    EXPECT_TRUE(bot.wait(std::chrono::seconds{5}).has_value());
    const std::string text = bot.log();
    EXPECT_THAT(text, HasSubstr("getMe failed")) << url;
    EXPECT_THAT(text, Not(HasSubstr(kToken))) << url;
    EXPECT_THAT(text, Not(HasSubstr(kToken.substr(kToken.find(':') + 1)))) << url;
    ::unlink(log.c_str());
    ::unlink((log + ".db").c_str());
  }
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
