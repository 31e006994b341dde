#pragma once

// The command, dialogue and button handlers, one file per area. Each answers through
// the conversation; none throws on what people type.

#include <optional>
#include <string>

#include "buttons.hpp"
#include "command_table.hpp"
#include "conversation.hpp"
#include "lottery/core/lottery.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/dialogue_repository.hpp"

namespace lottery::chat::handlers {

// registration_handlers.cpp: registration, the profile, help, cancel.
void start(const CommandCall& call, Conversation& conversation);
void help(const CommandCall& call, Conversation& conversation);
void my_account(const CommandCall& call, Conversation& conversation);
void cancel(const CommandCall& call, Conversation& conversation);
void registration_card(const Dialogue& dialogue, const IncomingMessage& message,
                       Conversation& conversation);
void registration_phone(const Dialogue& dialogue, const IncomingMessage& message,
                        Conversation& conversation);
// The commands this person may use, for /help and the greeting.
[[nodiscard]] std::string menu(const Conversation& conversation);

// lottery_handlers.cpp: creating, enrolling, drawing, redrawing, the published data.
void new_lottery(const CommandCall& call, Conversation& conversation);
void lottery_prizes(const Dialogue& dialogue, const IncomingMessage& message,
                    Conversation& conversation);
void lotteries(const CommandCall& call, Conversation& conversation);
void enroll(const CommandCall& call, Conversation& conversation);
void draw(const CommandCall& call, Conversation& conversation);
void redraw(const CommandCall& call, Conversation& conversation);
void lottery_info(const CommandCall& call, Conversation& conversation);
// «📄 Список участников»: a drawn lottery's entry list as files, to the chat that asked.
void entries_list(const ButtonPress& press, const EntriesListButton& button,
                  Conversation& conversation);

// The lottery id that is a command's only argument; otherwise answers with the usage.
[[nodiscard]] std::optional<LotteryId> only_lottery_id(const CommandCall& call,
                                                       Conversation& conversation);
// The lottery a command's one argument names; otherwise answers with the usage or
// «не найден» and gives nothing.
[[nodiscard]] std::optional<Lottery> lottery_argument(const CommandCall& call,
                                                      Conversation& conversation);

// The same with its number of entries (QueryService::lottery_info).
[[nodiscard]] std::optional<LotteryInfo> lottery_info_argument(const CommandCall& call,
                                                               Conversation& conversation);

// account_handlers.cpp: clients' accounts.
void add_account(const CommandCall& call, Conversation& conversation);
void add_accounts(const CommandCall& call, Conversation& conversation);
void account_lines(const Dialogue& dialogue, const IncomingMessage& message,
                   Conversation& conversation);
void account_lottery_reminder(const Dialogue& dialogue, const IncomingMessage& message,
                              Conversation& conversation);
void choose_lottery_for_accounts(const ButtonPress& press, const ChooseLotteryButton& button,
                                 Conversation& conversation);
void remove_account(const CommandCall& call, Conversation& conversation);

// client_handlers.cpp: finding and fixing clients.
void find_client(const CommandCall& call, Conversation& conversation);
void list_accounts(const CommandCall& call, Conversation& conversation);
void move_account(const CommandCall& call, Conversation& conversation);
void new_code(const CommandCall& call, Conversation& conversation);

// claim_handlers.cpp: confirming wins, their status, their deadlines and prizes.
void confirm_win(const ButtonPress& press, const ConfirmWinButton& button,
                 Conversation& conversation);
// R-2FA-1: the SMS code typed after the confirmation button.
void sms_code(const Dialogue& dialogue, const IncomingMessage& message, Conversation& conversation);
void refuse_unknown_button(const ButtonPress& press, Conversation& conversation);
void verify_winner(const CommandCall& call, Conversation& conversation);
void winner_status(const CommandCall& call, Conversation& conversation);
void check_unclaimed(const CommandCall& call, Conversation& conversation);
void extend_claim(const CommandCall& call, Conversation& conversation);
void prize_given(const CommandCall& call, Conversation& conversation);

// report_handlers.cpp: the reports and the winners' file.
void stats(const CommandCall& call, Conversation& conversation);
void export_winners(const CommandCall& call, Conversation& conversation);

}  // namespace lottery::chat::handlers
