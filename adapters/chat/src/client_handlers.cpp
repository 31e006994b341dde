// Admins finding and fixing clients: /find, /list_accounts, /move_account, /new_code.

#include "handlers.hpp"
#include "lottery/core/client_service.hpp"
#include "parsing.hpp"
#include "texts_clients.hpp"

namespace lottery::chat::handlers {
namespace {

// The clients the command's argument names; answers with the usage or the refusal and
// gives nothing otherwise.
std::optional<std::vector<ClientCard>> clients_named(const CommandCall& call,
                                                     Conversation& conversation) {
  if (trim(call.arguments).empty()) {
    answer_usage(call, conversation);
    return std::nullopt;
  }
  auto found = conversation.checked(
      ClientService(conversation.deps).find(conversation.requester(), call.arguments));
  if (!found) {
    conversation.reply_error(found.error());
    return std::nullopt;
  }
  return std::move(*found);
}

}  // namespace

void find_client(const CommandCall& call, Conversation& conversation) {
  if (const auto found = clients_named(call, conversation)) {
    conversation.reply(text::clients::cards(*found, conversation.deps.clock.now()));
  }
}

void list_accounts(const CommandCall& call, Conversation& conversation) {
  if (const auto found = clients_named(call, conversation)) {
    conversation.reply(text::clients::accounts(*found));
  }
}

void move_account(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  if (args.size() < 2) {
    answer_usage(call, conversation);
    return;
  }
  // The card comes last: the account number before it may be typed with spaces.
  const auto card = ClubCard::parse(args.back());
  std::string number_text;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) number_text += (i > 0 ? " " : "") + args[i];
  const auto number = AccountNumber::parse(number_text);
  if (!number) {
    conversation.reply_error(number.error());
    return;
  }
  if (!card) {
    conversation.reply_error(card.error());
    return;
  }
  const auto moved = conversation.checked(
      ClientService(conversation.deps).move_account(conversation.requester(), *number, *card));
  conversation.reply(moved ? text::clients::moved(*moved) : conversation.error_text(moved.error()));
}

void new_code(const CommandCall& call, Conversation& conversation) {
  const auto args = words(call.arguments);
  if (args.size() != 1) {
    answer_usage(call, conversation);
    return;
  }
  const auto card = ClubCard::parse(args[0]);
  if (!card) {
    conversation.reply_error(card.error());
    return;
  }
  const auto renewed = conversation.checked(
      ClientService(conversation.deps).new_code(conversation.requester(), *card));
  conversation.reply(renewed ? text::clients::new_code_sent(*renewed)
                             : conversation.error_text(renewed.error()));
}

}  // namespace lottery::chat::handlers
