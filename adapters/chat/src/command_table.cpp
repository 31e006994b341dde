#include "command_table.hpp"

#include <array>

#include "handlers.hpp"
#include "texts.hpp"

namespace lottery::chat {
namespace {

using Audience::kAdmins;
using Audience::kEveryone;
namespace h = handlers;

// The descriptions and usages are the texts people read (Russian).
constexpr std::array kCommands{
    CommandEntry{"start", kEveryone, "/start", "начать, регистрация", &h::start},
    // The notes list /register among the client's commands: shown, like /start.
    CommandEntry{"register", kEveryone, "/register", "регистрация в боте", &h::start},
    CommandEntry{"my_account", kEveryone, "/my_account", "мой профиль, счета и выигрыши",
                 &h::my_account},
    CommandEntry{"help", kEveryone, "/help", "список команд", &h::help},
    CommandEntry{"lottery_info", kEveryone, "/lottery_info ID_РОЗЫГРЫША",
                 "розыгрыш и данные для проверки: /lottery_info ID", &h::lottery_info},
    CommandEntry{"cancel", kEveryone, "/cancel", "отменить текущее действие", &h::cancel},
    CommandEntry{"new_lottery", kAdmins, "/new_lottery НАЗВАНИЕ (до 200 символов)",
                 "создать розыгрыш: /new_lottery НАЗВАНИЕ", &h::new_lottery},
    CommandEntry{"lotteries", kAdmins, "/lotteries", "список розыгрышей", &h::lotteries},
    CommandEntry{"enroll", kAdmins,
                 "/enroll ID_РОЗЫГРЫША СЧЕТ [СЧЕТ...] или /enroll ID_РОЗЫГРЫША all",
                 "добавить участников: /enroll ID СЧЕТ... или /enroll ID all", &h::enroll},
    CommandEntry{"draw", kAdmins, "/draw ID_РОЗЫГРЫША [ПУБЛИЧНОЕ_ЗНАЧЕНИЕ]",
                 "провести розыгрыш: /draw ID [ПУБЛИЧНОЕ_ЗНАЧЕНИЕ]", &h::draw},
    CommandEntry{"add_account", kAdmins, "/add_account КЛУБНАЯ_КАРТА СЧЕТ",
                 "добавить счет: /add_account КАРТА СЧЕТ", &h::add_account},
    CommandEntry{"add_accounts", kAdmins, "/add_accounts", "добавить много счетов списком",
                 &h::add_accounts},
    CommandEntry{"remove_account", kAdmins, "/remove_account СЧЕТ",
                 "деактивировать счет: /remove_account СЧЕТ", &h::remove_account},
    CommandEntry{"list_accounts", kAdmins,
                 "/list_accounts КЛИЕНТ (карта, @username, телефон, "
                 "счет или Telegram id)",
                 "счета клиента: /list_accounts КЛИЕНТ", &h::list_accounts},
    CommandEntry{"find", kAdmins, "/find КЛИЕНТ (карта, @username, телефон, счет или Telegram id)",
                 "найти клиента: /find КЛИЕНТ", &h::find_client},
    CommandEntry{"move_account", kAdmins, "/move_account СЧЕТ КЛУБНАЯ_КАРТА",
                 "передать счет другому клиенту: /move_account СЧЕТ КАРТА", &h::move_account},
    CommandEntry{"new_code", kAdmins, "/new_code КЛУБНАЯ_КАРТА",
                 "новый код верификации клиенту: /new_code КАРТА", &h::new_code},
    CommandEntry{"verify_winner", kAdmins, "/verify_winner КОД ID_РОЗЫГРЫША [СЧЕТ]",
                 "подтвердить по коду: /verify_winner КОД ID [СЧЕТ]", &h::verify_winner},
    CommandEntry{"winner_status", kAdmins, "/winner_status ID_РОЗЫГРЫША",
                 "статус победителей: /winner_status ID", &h::winner_status},
    CommandEntry{"check_unclaimed", kAdmins, "/check_unclaimed ID_РОЗЫГРЫША",
                 "неподтверждённые выигрыши: /check_unclaimed ID", &h::check_unclaimed},
    CommandEntry{"redraw", kAdmins, "/redraw ID_РОЗЫГРЫША", "переиграть истекшие: /redraw ID",
                 &h::redraw},
    CommandEntry{"extend_claim", kAdmins, "/extend_claim ID_ВЫИГРЫША [ЧАСЫ]",
                 "продлить срок: /extend_claim ID_ВЫИГРЫША [ЧАСЫ]", &h::extend_claim},
    CommandEntry{"prize_given", kAdmins, "/prize_given ID_ВЫИГРЫША",
                 "приз вручён: /prize_given ID_ВЫИГРЫША", &h::prize_given},
    CommandEntry{"stats", kAdmins, "/stats", "отчёты", &h::stats},
    CommandEntry{"export", kAdmins, "/export ID_РОЗЫГРЫША", "победители файлом CSV: /export ID",
                 &h::export_winners},
};

}  // namespace

std::span<const CommandEntry> command_table() { return kCommands; }

const CommandEntry* find_command(std::string_view name) {
  for (const CommandEntry& entry : kCommands) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

void answer_usage(const CommandCall& call, Conversation& conversation) {
  conversation.reply_usage(call.entry.usage);
}

}  // namespace lottery::chat
