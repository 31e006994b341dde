#include "lottery/chat/chat_bot.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <sstream>

#include "ambient_transactions.hpp"
#include "lottery/chat/markup.hpp"
#include "lottery/core/account_service.hpp"
#include "lottery/core/claim_service.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/core/registration_service.hpp"
#include "lottery/ports/storage_error.hpp"
#include "texts.hpp"

namespace lottery::chat {

thread_local Transaction* AmbientTransactions::current_ = nullptr;

namespace {

constexpr std::string_view kConfirmPrefix = "confirm_win_";
constexpr std::string_view kEnrolPrefix = "add_accounts:";
constexpr std::string_view kSkip = "Пропустить";
constexpr std::string_view kShareContact = "📱 Поделиться номером";
constexpr int kUpdateAttempts = 3;
// From this many winner notifications on, /draw posts a progress message.
constexpr long kProgressFrom = 10;

// A command split off a message: "/draw@club_bot 5" gives "draw", "club_bot", "5".
struct Command {
  std::string name;
  std::string addressee;
  std::string arguments;  // the rest of the text, trimmed
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<Command> parse_command(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.front() != '/') return std::nullopt;
  const auto end = text.find_first_of(" \t\r\n");
  std::string_view head = text.substr(1, end == std::string_view::npos ? end : end - 1);
  Command command;
  if (const auto at = head.find('@'); at != std::string_view::npos) {
    command.addressee = std::string(head.substr(at + 1));
    head = head.substr(0, at);
  }
  command.name = std::string(head);
  std::transform(command.name.begin(), command.name.end(), command.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (end != std::string_view::npos) command.arguments = std::string(trim(text.substr(end)));
  return command;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> list;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) list.push_back(word);
  return list;
}

// A positive id as typed; nothing for anything else (signs, letters, overflow).
template <class Id>
std::optional<Id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return Id{value};
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  // Russian letters differ in case by their second UTF-8 byte; comparing the two
  // spellings the button and people use is enough here.
  if (a == b) return true;
  std::string lower_a(a);
  std::string lower_b(b);
  for (auto* text : {&lower_a, &lower_b}) {
    std::transform(text->begin(), text->end(), text->begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return lower_a == lower_b || (a == "пропустить" && b == kSkip) ||
         (b == "пропустить" && a == kSkip);
}

Markup confirm_markup(WinnerId winner) {
  Markup markup;
  markup.kind = Markup::Kind::kInline;
  markup.inline_rows = {{InlineButton{
      "✅ Подтвердить выигрыш", std::string(kConfirmPrefix) + std::to_string(winner.value())}}};
  return markup;
}

Markup remove_keyboard() {
  Markup markup;
  markup.kind = Markup::Kind::kRemoveKeyboard;
  return markup;
}

}  // namespace

struct ChatBot::Impl {
  Impl(Dependencies dependencies, ChatSettings chat_settings)
      : store(dependencies.transactions),
        ambient(dependencies.transactions),
        deps{ambient, dependencies.clock, dependencies.random, dependencies.draw_randomness,
             dependencies.settings},
        chat(std::move(chat_settings)) {}

  TransactionManager& store;
  AmbientTransactions ambient;
  Dependencies deps;
  ChatSettings chat;

  // What one update produces, collected while it is handled.
  struct Conversation {
    Transaction& transaction;
    ChatId chat;
    ChatUser user;
    Instant now;
    std::vector<OutgoingMessage> replies;
    std::optional<ButtonAnswer> answer;
    std::vector<Notification> notices;  // queued after the replies, in this order

    void reply(const std::string& html, Markup markup = {}) {
      for (auto& part : text::split_message(html)) {
        replies.push_back(OutgoingMessage{chat, std::move(part), markup, std::nullopt});
        markup = {};  // buttons go under the first part only
      }
    }
  };

  bool is_admin(TelegramUserId user) const {
    return Requester::telegram(user).actor(deps.settings).is_admin();
  }

  // A storage failure inside a use case fails the whole update, so that it is
  // retried instead of being answered with an apology and marked handled.
  template <class T>
  const Result<T>& checked(const Result<T>& result) const {
    if (!result && result.error().code == ErrorCode::kStorageUnavailable) {
      throw StorageError(StorageError::Kind::kUnavailable, result.error().detail);
    }
    return result;
  }

  std::string error_text(const Error& error) const {
    return text::error(error, chat.admin_contact);
  }

  // ---------------------------------------------------------------------------
  // Updates

  Result<UpdateOutcome> handle(std::int64_t update_id, const ChatEvent& event) {
    for (int attempt = 1;; ++attempt) {
      try {
        auto transaction = store.begin();
        const Instant now = deps.clock.now();
        // Claimed first: the claim is undone with the rest if the update fails.
        if (!transaction->updates().claim(update_id, now)) return UpdateOutcome{true, {}, 0};
        Conversation conversation{*transaction, ChatId{}, ChatUser{}, now, {}, {}};
        {
          const AmbientTransactions::Scope scope(*transaction);
          std::visit([&](const auto& each) { dispatch(each, conversation); }, event);
        }
        for (const OutgoingMessage& message : conversation.replies) {
          Notification reply;
          reply.chat = message.chat;
          reply.kind =
              message.edit_message_id ? NotificationKind::kReplyEdit : NotificationKind::kReply;
          reply.text = message.html;
          reply.markup = encode_markup(message.markup);
          reply.reference = message.edit_message_id.value_or(0);
          reply.created_at = now;
          (void)transaction->outbox().enqueue(reply);
        }
        for (const Notification& notice : conversation.notices) {
          (void)transaction->outbox().enqueue(notice);
        }
        transaction->commit();
        return UpdateOutcome{false, conversation.answer,
                             conversation.replies.size() + conversation.notices.size()};
      } catch (const StorageError& error) {
        if (error.kind() == StorageError::Kind::kConflict && attempt < kUpdateAttempts) continue;
        // A rejected update is given up (and skipped); an unavailable store is retried.
        ErrorCode code = ErrorCode::kStorageUnavailable;
        if (error.kind() == StorageError::Kind::kConflict) code = ErrorCode::kConflict;
        if (error.kind() == StorageError::Kind::kRejected) code = ErrorCode::kInvalidArgument;
        return fail(code, error.what());
      }
    }
  }

  void dispatch(const IncomingMessage& message, Conversation& conversation) {
    conversation.chat = message.chat;
    conversation.user = message.from;
    const auto command = parse_command(message.text);
    if (command && !command->addressee.empty() &&
        !equals_ignoring_case(command->addressee, chat.bot_username)) {
      return;  // meant for another bot
    }
    if (!message.is_private) {
      // In groups the bot only points to the private chat, and only when addressed.
      if (command && !command->addressee.empty() &&
          (command->name == "start" || command->name == "help")) {
        conversation.reply("Я работаю в личных сообщениях: напишите мне @" +
                           text::escape(chat.bot_username) + ".");
      }
      return;
    }
    auto& dialogues = conversation.transaction.dialogues();
    const auto dialogue = dialogues.find(message.chat, message.from.id);
    if (command) {
      if (command->name == "cancel") {
        if (dialogue) {
          dialogues.remove(message.chat, message.from.id);
          conversation.reply("Действие отменено.", remove_keyboard());
        } else {
          conversation.reply("Нечего отменять.");
        }
        return;
      }
      if (dialogue) dialogues.remove(message.chat, message.from.id);
      run_command(*command, conversation);
      return;
    }
    if (dialogue) {
      continue_dialogue(*dialogue, message, conversation);
      return;
    }
    conversation.reply("Не понимаю. Список команд: /help");
  }

  void dispatch(const ButtonPress& press, Conversation& conversation) {
    conversation.chat = press.chat.value_or(private_chat_of(press.from.id));
    conversation.user = press.from;
    const std::string_view data = press.data;
    if (data.substr(0, kConfirmPrefix.size()) == kConfirmPrefix) {
      confirm_button(press, data.substr(kConfirmPrefix.size()), conversation);
    } else if (data.substr(0, kEnrolPrefix.size()) == kEnrolPrefix) {
      choose_lottery_for_accounts(press, data.substr(kEnrolPrefix.size()), conversation);
    } else {
      (void)ClaimService(deps).refuse_forged_press(press.from.id, data);
      conversation.answer = ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", false};
    }
  }

  // ---------------------------------------------------------------------------
  // Commands

  void run_command(const Command& command, Conversation& conversation) {
    using Handler = void (Impl::*)(const Command&, Conversation&);
    static const std::map<std::string, Handler> kClient{
        {"start", &Impl::start},
        {"register", &Impl::start},
        {"my_account", &Impl::my_account},
        {"help", &Impl::help},
        {"lottery_info", &Impl::lottery_info},
    };
    static const std::map<std::string, Handler> kAdmin{
        {"new_lottery", &Impl::new_lottery},
        {"lotteries", &Impl::lotteries},
        {"enroll", &Impl::enroll},
        {"draw", &Impl::draw},
        {"add_account", &Impl::add_account},
        {"add_accounts", &Impl::add_accounts},
        {"remove_account", &Impl::remove_account},
        {"list_accounts", &Impl::list_accounts},
        {"verify_winner", &Impl::verify_winner},
        {"winner_status", &Impl::winner_status},
        {"check_unclaimed", &Impl::check_unclaimed},
        {"redraw", &Impl::redraw},
        {"extend_claim", &Impl::extend_claim},
        {"prize_given", &Impl::prize_given},
        {"stats", &Impl::stats},
        {"export", &Impl::export_winners},
    };
    if (const auto found = kClient.find(command.name); found != kClient.end()) {
      (this->*found->second)(command, conversation);
      return;
    }
    const auto found = kAdmin.find(command.name);
    // Admin commands are invisible to everyone else: the same answer as a typo.
    if (found == kAdmin.end() || !is_admin(conversation.user.id)) {
      conversation.reply("Неизвестная команда. Список команд: /help");
      return;
    }
    (this->*found->second)(command, conversation);
  }

  Requester requester(const Conversation& conversation) const {
    return Requester::telegram(conversation.user.id);
  }

  static void usage(Conversation& conversation, std::string_view line) {
    conversation.reply("Использование: " + text::escape(line));
  }

  void start(const Command& /*command*/, Conversation& conversation) {
    const auto user = checked(RegistrationService(deps).find_user(conversation.user.id));
    if (user && *user && (*user)->is_registered) {
      conversation.reply("👋 С возвращением, " + text::escape(conversation.user.first_name) +
                             "! Вы зарегистрированы.\n\n" + menu(conversation.user.id),
                         remove_keyboard());
      return;
    }
    conversation.transaction.dialogues().save(Dialogue{conversation.chat, conversation.user.id,
                                                       "register", "card", "", conversation.now});
    conversation.reply(
        "Добро пожаловать в лотерею клуба! 🎉\n\nДля регистрации введите номер вашей клубной "
        "карты (только цифры, например 2223).\nОтменить: /cancel");
  }

  std::string menu(TelegramUserId user) const {
    std::string lines = "Ваши команды:\n";
    for (const auto& command : client_commands()) {
      lines += "/" + command.name + " — " + command.description + "\n";
    }
    if (is_admin(user)) {
      lines += "\nКоманды администратора:\n";
      for (const auto& command : admin_only_commands()) {
        lines += "/" + command.name + " — " + text::escape(command.description) + "\n";
      }
    }
    return lines;
  }

  void help(const Command& /*command*/, Conversation& conversation) {
    conversation.reply(menu(conversation.user.id));
  }

  void my_account(const Command& /*command*/, Conversation& conversation) {
    const auto view = checked(QueryService(deps).my_account(conversation.user.id));
    if (!view) {
      conversation.reply(error_text(view.error()));
      return;
    }
    const User& user = view->user;
    std::string html =
        "👤 <b>Ваш профиль</b>\nКлубная карта: " + text::escape(user.club_card->str()) +
        "\nТелефон: " + (user.phone ? text::escape(user.phone->str()) : "не указан") +
        "\nКод верификации: <code>" + user.verification_code->str() + "</code>\n\n";
    html += "💳 <b>Счета</b>\n";
    if (view->active_accounts.empty()) html += "Пока нет. Счета добавляет администратор.\n";
    for (const Account& account : view->active_accounts) html += "• " + account.number.str() + "\n";
    html += "\n🏆 <b>Выигрыши</b>\n";
    if (view->wins.empty()) html += "Пока нет.\n";
    for (const WinView& win : view->wins) {
      html += "• " + text::title(win.lottery_title) + ", " +
              text::place_and_prize(win.winner.place, win.winner.prize) + " (счет " +
              win.winner.account_number.str() + "): " + text::win_status(win.winner, view->now) +
              "\n";
    }
    conversation.reply(html);
  }

  void new_lottery(const Command& command, Conversation& conversation) {
    if (command.arguments.empty() ||
        character_count(command.arguments) > Lottery::kMaxTitleLength) {
      usage(conversation, "/new_lottery НАЗВАНИЕ (до 200 символов)");
      return;
    }
    conversation.transaction.dialogues().save(Dialogue{conversation.chat, conversation.user.id,
                                                       "new_lottery", "prizes", command.arguments,
                                                       conversation.now});
    conversation.reply("Розыгрыш " + text::title(command.arguments) +
                       ". Введите призы, по одному на строку «МЕСТО ПРИЗ», например:\n"
                       "1 iPhone 15\n2 Наушники\n\nОтменить: /cancel");
  }

  void lotteries(const Command& /*command*/, Conversation& conversation) {
    const auto list = checked(LotteryService(deps).list(requester(conversation)));
    if (!list) {
      conversation.reply(error_text(list.error()));
      return;
    }
    if (list->empty()) {
      conversation.reply("Розыгрышей пока нет. Создать: /new_lottery НАЗВАНИЕ");
      return;
    }
    std::string html = "🎲 <b>Розыгрыши</b>\n";
    for (const Lottery& lottery : *list) {
      static const std::map<LotteryStatus, std::string> kStatus{
          {LotteryStatus::kDraft, "черновик"},
          {LotteryStatus::kOpen, "открыт"},
          {LotteryStatus::kDrawn, "проведён"},
          {LotteryStatus::kClosed, "завершён"}};
      html += "#" + std::to_string(lottery.id.value()) + " " + text::title(lottery.title) + " — " +
              kStatus.at(lottery.status) + ", мест: " + std::to_string(lottery.prizes.size()) +
              "\n";
    }
    conversation.reply(html);
  }

  void enroll(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto lottery = args.empty() ? std::nullopt : parse_id<LotteryId>(args[0]);
    if (!lottery || args.size() < 2) {
      usage(conversation, "/enroll ID_РОЗЫГРЫША СЧЕТ [СЧЕТ...] или /enroll ID_РОЗЫГРЫША all");
      return;
    }
    Result<EnrolReport> report = fail(ErrorCode::kInvalidArgument);
    if (args.size() == 2 && args[1] == "all") {
      report = checked(LotteryService(deps).enrol_all_active(requester(conversation), *lottery));
    } else {
      std::vector<AccountNumber> numbers;
      for (std::size_t i = 1; i < args.size(); ++i) {
        auto number = AccountNumber::parse(args[i]);
        if (!number) {
          conversation.reply(error_text(number.error()));
          return;
        }
        numbers.push_back(*number);
      }
      report = checked(LotteryService(deps).enrol(requester(conversation), *lottery, numbers));
    }
    if (!report) {
      conversation.reply(error_text(report.error()));
      return;
    }
    conversation.reply(enrol_summary(*lottery, *report));
  }

  static std::string enrol_summary(LotteryId lottery, const EnrolReport& report) {
    std::string html = "✅ Розыгрыш #" + std::to_string(lottery.value()) +
                       ": добавлено участников — " + std::to_string(report.added) +
                       ", уже участвовали — " + std::to_string(report.already_enrolled) +
                       ". Всего участников: " + std::to_string(report.total_entries) + ".";
    if (!report.unknown.empty()) {
      html += "\nНе найдены счета:";
      for (const auto& number : report.unknown) html += " " + number.str();
    }
    if (!report.inactive.empty()) {
      html += "\nДеактивированы (не добавлены):";
      for (const auto& number : report.inactive) html += " " + number.str();
    }
    return html;
  }

  void draw(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto lottery = args.empty() ? std::nullopt : parse_id<LotteryId>(args[0]);
    if (!lottery) {
      usage(conversation, "/draw ID_РОЗЫГРЫША [ПУБЛИЧНОЕ_ЗНАЧЕНИЕ]");
      return;
    }
    // Everything after the id, as typed: e.g. the numbers of a state lottery named in advance.
    const std::string_view rest = trim(command.arguments);
    const std::string_view public_value = trim(rest.substr(std::min(rest.size(), args[0].size())));
    const auto report =
        checked(LotteryService(deps).draw(requester(conversation), *lottery, public_value));
    if (!report) {
      conversation.reply(error_text(report.error()));
      return;
    }
    std::string html = "🎲 Розыгрыш #" + std::to_string(lottery->value()) + " " +
                       text::title(report->lottery.title) + " проведён среди " +
                       std::to_string(report->entries) + " участников.\n\n";
    for (const Winner& winner : report->winners) {
      html += text::place_and_prize(winner.place, winner.prize) + ": счет " +
              winner.account_number.str() + (winner.user ? "" : " (без владельца)") + "\n";
    }
    for (const Prize& empty : report->empty_places) {
      html += text::place_and_prize(empty.place, empty.text) +
              ": не разыграно — не хватило участников\n";
    }
    html += "\nСрок подтверждения: " + text::window(report->lottery.claim_window) +
            ". Статус: /winner_status " + std::to_string(lottery->value()) + "\n\n" +
            fairness_text(report->lottery, true);
    conversation.reply(html);
    // A big draw's notifications take a while at Telegram's 30 a second: a status
    // message under the report, edited as they go out.
    const auto notified = std::count_if(report->winners.begin(), report->winners.end(),
                                        [](const Winner& winner) { return winner.user; });
    if (notified >= kProgressFrom) {
      Notification status;
      status.chat = conversation.chat;
      status.kind = NotificationKind::kDrawProgress;
      status.lottery = *lottery;
      status.lottery_title = report->lottery.title;
      status.created_at = conversation.now;
      conversation.notices.push_back(status);
    }
  }

  // What anyone needs to check the draw (docs/FAIRNESS.md): before it, the seed's
  // commitment and the entry list's hash so far; after it, the seed itself too.
  std::string fairness_text(const Lottery& lottery, bool drawn) {
    std::string html = "🔐 <b>Проверка честности</b>\nХэш ключа (SHA-256): <code>" +
                       to_hex(deps.draw_randomness.commitment(lottery.seed)) + "</code>\n";
    if (lottery.fairness_version < 2) {
      return html + "Розыгрыш создан до проверяемых розыгрышей: список участников не заверен.";
    }
    html += std::string(drawn ? "Хэш списка участников: " : "Хэш списка участников сейчас: ") +
            "<code>" + to_hex(lottery.entries_hash) + "</code>\n";
    if (!drawn) return html + "Ключ будет раскрыт после розыгрыша.";
    html += "Ключ: <code>" + to_hex(lottery.seed) + "</code>\n";
    html +=
        "Публичное значение: " +
        (lottery.public_value.empty() ? std::string("нет")
                                      : "<code>" + text::escape(lottery.public_value) + "</code>") +
        "\n";
    if (!lottery.skipped_ordinals.empty()) {
      html += "Пропущенные позиции (неактивны или уже выиграли):";
      for (const std::uint64_t ordinal : lottery.skipped_ordinals)
        html += " " + std::to_string(ordinal);
      html += "\n";
    }
    return html + "Как проверить: docs/FAIRNESS.md";
  }

  // The lottery a command's one argument names; otherwise answers with the usage or
  // «не найден» and gives nothing.
  std::optional<Lottery> lottery_argument(const Command& command, Conversation& conversation,
                                          std::string_view usage_text) {
    const auto args = words(command.arguments);
    const auto id = args.size() == 1 ? parse_id<LotteryId>(args[0]) : std::nullopt;
    if (!id) {
      usage(conversation, usage_text);
      return std::nullopt;
    }
    auto lottery = conversation.transaction.lotteries().find(*id);
    if (!lottery) {
      conversation.reply("Розыгрыш #" + std::to_string(id->value()) + " не найден.");
    }
    return lottery;
  }

  void lottery_info(const Command& command, Conversation& conversation) {
    const auto lottery = lottery_argument(command, conversation, "/lottery_info ID_РОЗЫГРЫША");
    if (!lottery) return;
    const LotteryId id = lottery->id;
    const bool drawn = lottery->drawn_at.has_value();
    std::string html =
        "🎟 <b>Розыгрыш #" + std::to_string(id.value()) + " " +
        text::title(lottery->title) +
        "</b>\nСтатус: " + (drawn ? "проведён " + text::moment(*lottery->drawn_at) : "открыт") +
        "\nУчастников: " + std::to_string(conversation.transaction.entries().count(id)) +
        "\nПризы:\n";
    for (const Prize& prize : lottery->prizes) {
      html += text::place_and_prize(prize.place, prize.text) + "\n";
    }
    conversation.reply(html + "\n" + fairness_text(*lottery, drawn));
  }

  void add_account(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    if (args.size() < 2) {
      usage(conversation, "/add_account КЛУБНАЯ_КАРТА СЧЕТ");
      return;
    }
    const auto card = ClubCard::parse(args[0]);
    if (!card) {
      conversation.reply(error_text(card.error()));
      return;
    }
    std::string number_text;
    for (std::size_t i = 1; i < args.size(); ++i) number_text += (i > 1 ? " " : "") + args[i];
    const auto number = AccountNumber::parse(number_text);
    if (!number) {
      conversation.reply(error_text(number.error()));
      return;
    }
    const auto outcome =
        checked(AccountService(deps).add_account(requester(conversation), *card, *number));
    if (!outcome) {
      conversation.reply(error_text(outcome.error()));
      return;
    }
    const std::string account = number->str();
    // The admin sees whose card it is: a mistyped card must not pass unnoticed.
    const std::string owner = outcome->owner ? " клиенту " + text::holder(*outcome->owner) : "";
    switch (outcome->result) {
      case AddAccountResult::kAdded:
        conversation.reply("✅ Счет " + account + " добавлен" + owner +
                           ". Клиент получил уведомление.");
        break;
      case AddAccountResult::kAddedWithoutOwner:
        conversation.reply("✅ Счет " + account + " добавлен без владельца: карта " +
                           text::escape(card->str()) +
                           " ещё не зарегистрирована. Когда клиент зарегистрируется, "
                           "повторите /add_account " +
                           text::escape(card->str()) + " " + account + ".");
        break;
      case AddAccountResult::kLinked:
        conversation.reply("✅ Счет " + account + " привязан" + owner +
                           (outcome->linked_wins.empty()
                                ? "."
                                : ". Ожидающие выигрыши по счету переданы клиенту: " +
                                      std::to_string(outcome->linked_wins.size()) + "."));
        break;
      case AddAccountResult::kReactivated:
        conversation.reply("✅ Счет " + account + " снова активен.");
        break;
      case AddAccountResult::kAlreadyThere:
        conversation.reply("Счет " + account + " уже добавлен" + owner + ".");
        break;
    }
  }

  void add_accounts(const Command& /*command*/, Conversation& conversation) {
    conversation.transaction.dialogues().save(Dialogue{
        conversation.chat, conversation.user.id, "add_accounts", "lines", "", conversation.now});
    conversation.reply(
        "Отправьте счета, по одному на строку: «КЛУБНАЯ_КАРТА СЧЕТ» или просто номер счета, "
        "например:\n2223 11-22-33-44-55-66-77\n33-44-55-66-77-88-99\n\nОтменить: /cancel");
  }

  void remove_account(const Command& command, Conversation& conversation) {
    const auto number = AccountNumber::parse(command.arguments);
    if (command.arguments.empty()) {
      usage(conversation, "/remove_account СЧЕТ");
      return;
    }
    if (!number) {
      conversation.reply(error_text(number.error()));
      return;
    }
    const auto account =
        checked(AccountService(deps).deactivate_account(requester(conversation), *number));
    conversation.reply(account ? "✅ Счет " + number->str() +
                                     " деактивирован: в новых розыгрышах он не участвует."
                               : error_text(account.error()));
  }

  void list_accounts(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto user = args.size() == 1 ? parse_id<TelegramUserId>(args[0]) : std::nullopt;
    if (!user) {
      usage(conversation, "/list_accounts TELEGRAM_ID");
      return;
    }
    const auto listed = checked(AccountService(deps).list_accounts(requester(conversation), *user));
    if (!listed) {
      conversation.reply(error_text(listed.error()));
      return;
    }
    std::string html =
        "👤 " + text::escape(listed->user.first_name) +
        (listed->user.username.empty() ? "" : " (@" + text::escape(listed->user.username) + ")") +
        ", карта " + (listed->user.club_card ? text::escape(listed->user.club_card->str()) : "—") +
        "\n";
    if (listed->accounts.empty()) html += "Счетов нет.";
    for (const Account& account : listed->accounts) {
      html += "• " + account.number.str() + (account.is_active ? "" : " (деактивирован)") + "\n";
    }
    conversation.reply(html);
  }

  void verify_winner(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    if (args.size() < 2) {
      usage(conversation, "/verify_winner КОД ID_РОЗЫГРЫША [СЧЕТ]");
      return;
    }
    const auto code = VerificationCode::parse(args[0]);
    if (!code) {
      conversation.reply(error_text(code.error()));
      return;
    }
    const auto lottery = parse_id<LotteryId>(args[1]);
    if (!lottery) {
      usage(conversation, "/verify_winner КОД ID_РОЗЫГРЫША [СЧЕТ]");
      return;
    }
    std::optional<AccountNumber> account;
    if (args.size() > 2) {
      std::string number_text;
      for (std::size_t i = 2; i < args.size(); ++i) number_text += (i > 2 ? " " : "") + args[i];
      auto number = AccountNumber::parse(number_text);
      if (!number) {
        conversation.reply(error_text(number.error()));
        return;
      }
      account = *number;
    }
    const auto outcome = checked(
        ClaimService(deps).verify_by_code(requester(conversation), *code, *lottery, account));
    if (!outcome) {
      conversation.reply(error_text(outcome.error()));
      return;
    }
    if (!outcome->candidates.empty()) {
      std::string html = "У участника несколько выигрышей в этом розыгрыше, укажите счет:\n";
      for (const Winner& win : outcome->candidates) {
        html += "/verify_winner " + code->str() + " " + std::to_string(lottery->value()) + " " +
                win.account_number.str() + " — " + text::place_and_prize(win.place, win.prize) +
                "\n";
      }
      conversation.reply(html);
      return;
    }
    const Winner& win = *outcome->confirmed;
    conversation.reply(std::string(outcome->already_confirmed ? "Этот выигрыш уже был подтвержден: "
                                                              : "✅ Выигрыш подтвержден: ") +
                       text::place_and_prize(win.place, win.prize) + ", счет " +
                       win.account_number.str() + ". Когда вручите приз: /prize_given " +
                       std::to_string(win.id.value()));
  }

  // The winners as a CSV file; made when it is sent, so it shows the latest statuses.
  void export_winners(const Command& command, Conversation& conversation) {
    const auto lottery = lottery_argument(command, conversation, "/export ID_РОЗЫГРЫША");
    if (!lottery) return;
    const LotteryId id = lottery->id;
    if (!lottery->drawn_at) {
      conversation.reply("Розыгрыш #" + std::to_string(id.value()) +
                         " ещё не проведён: победителей нет.");
      return;
    }
    Notification file;
    file.chat = conversation.chat;
    file.kind = NotificationKind::kWinnersExport;
    file.lottery = id;
    file.lottery_title = lottery->title;
    file.created_at = conversation.now;
    conversation.notices.push_back(file);
  }

  void winner_status(const Command& command, Conversation& conversation) {
    show_winners(command, conversation, false);
  }

  void check_unclaimed(const Command& command, Conversation& conversation) {
    show_winners(command, conversation, true);
  }

  void show_winners(const Command& command, Conversation& conversation, bool unclaimed_only) {
    const auto args = words(command.arguments);
    const auto lottery = args.size() == 1 ? parse_id<LotteryId>(args[0]) : std::nullopt;
    if (!lottery) {
      usage(conversation,
            unclaimed_only ? "/check_unclaimed ID_РОЗЫГРЫША" : "/winner_status ID_РОЗЫГРЫША");
      return;
    }
    QueryService queries(deps);
    const auto view =
        checked(unclaimed_only ? queries.unclaimed(requester(conversation), *lottery)
                               : queries.winner_status(requester(conversation), *lottery));
    if (!view) {
      conversation.reply(error_text(view.error()));
      return;
    }
    std::string html =
        (unclaimed_only ? "⏳ Неподтверждённые выигрыши розыгрыша #" : "🏆 Результаты розыгрыша #") +
        std::to_string(lottery->value()) + " " + text::title(view->lottery.title) + ":\n";
    if (view->rows.empty()) {
      html += unclaimed_only && view->lottery.drawn_at ? "Нет — все выигрыши подтверждены."
                                                       : "Розыгрыш ещё не проведён.";
    }
    bool any_expired = false;
    for (const WinnerRow& row : view->rows) {
      const Winner& win = row.winner;
      std::string who = "Счет: " + win.account_number.str();
      if (row.user) {
        who = (row.user->username.empty() ? text::escape(row.user->first_name)
                                          : "@" + text::escape(row.user->username)) +
              " (КК: " + (row.user->club_card ? text::escape(row.user->club_card->str()) : "—") +
              ", счет " + win.account_number.str() + ")";
      }
      html += std::to_string(win.place) + " место" +
              (win.round > 1 ? " (переигровка " + std::to_string(win.round - 1) + ")" : "") +
              " — " + who + " " + text::win_status(win, view->now) + " [#" +
              std::to_string(win.id.value()) + "]\n";
      any_expired = any_expired || win.status == WinStatus::kExpired ||
                    (win.status == WinStatus::kPending && win.deadline <= view->now);
    }
    if (any_expired) {
      html += "\nПереиграть истекшие: /redraw " + std::to_string(lottery->value()) +
              "\nПродлить срок: /extend_claim ID_ВЫИГРЫША [ЧАСЫ]";
    }
    conversation.reply(html);
  }

  void redraw(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto lottery = args.size() == 1 ? parse_id<LotteryId>(args[0]) : std::nullopt;
    if (!lottery) {
      usage(conversation, "/redraw ID_РОЗЫГРЫША");
      return;
    }
    const auto report = checked(LotteryService(deps).redraw(requester(conversation), *lottery));
    if (!report) {
      conversation.reply(error_text(report.error()));
      return;
    }
    std::string html = "🔁 Переигровка розыгрыша #" + std::to_string(lottery->value()) + " " +
                       text::title(report->lottery.title) + ":\n";
    for (const Winner& winner : report->winners) {
      html += text::place_and_prize(winner.place, winner.prize) + ": новый победитель — счет " +
              winner.account_number.str() + "\n";
    }
    for (const Prize& empty : report->empty_places) {
      html += text::place_and_prize(empty.place, empty.text) +
              ": не осталось участников, место не разыграно\n";
    }
    conversation.reply(html);
  }

  void extend_claim(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto winner =
        args.empty() || args.size() > 2 ? std::nullopt : parse_id<WinnerId>(args[0]);
    std::optional<std::chrono::hours> hours;
    if (winner && args.size() == 2) {
      const auto value = parse_id<WinnerId>(args[1]);  // a positive number
      if (value) hours = std::chrono::hours{value->value()};
    }
    if (!winner || (args.size() == 2 && !hours)) {
      usage(conversation, "/extend_claim ID_ВЫИГРЫША [ЧАСЫ]");
      return;
    }
    const auto extended =
        checked(ClaimService(deps).extend_claim(requester(conversation), *winner, hours));
    conversation.reply(extended
                           ? "✅ Срок подтверждения выигрыша #" + std::to_string(winner->value()) +
                                 " продлён до " + text::moment(extended->deadline) +
                                 ". Победитель получил уведомление."
                           : error_text(extended.error()));
  }

  void prize_given(const Command& command, Conversation& conversation) {
    const auto args = words(command.arguments);
    const auto winner = args.size() == 1 ? parse_id<WinnerId>(args[0]) : std::nullopt;
    if (!winner) {
      usage(conversation, "/prize_given ID_ВЫИГРЫША");
      return;
    }
    const auto given =
        checked(ClaimService(deps).record_prize_given(requester(conversation), *winner));
    conversation.reply(given ? "🎁 Приз по выигрышу #" + std::to_string(winner->value()) +
                                   " отмечен как вручённый."
                             : error_text(given.error()));
  }

  void stats(const Command& /*command*/, Conversation& conversation) {
    const auto stats = checked(QueryService(deps).stats(requester(conversation)));
    if (!stats) {
      conversation.reply(error_text(stats.error()));
      return;
    }
    std::string html = "📊 <b>Победители по клубным картам</b>\n";
    if (stats->winners_by_card.empty()) html += "нет\n";
    for (const auto& row : stats->winners_by_card) {
      html += text::escape(row.club_card.str()) + " " + text::escape(row.first_name) +
              ": выигрышей " + std::to_string(row.total_wins) + ", подтверждено " +
              std::to_string(row.claimed_wins) + "\n";
    }
    html += "\n📊 <b>Счета с наибольшим числом участий</b>\n";
    if (stats->top_accounts.empty()) html += "нет\n";
    for (const auto& row : stats->top_accounts) {
      html += row.account.str() + " (КК " +
              (row.club_card ? text::escape(row.club_card->str()) : "—") +
              "): " + std::to_string(row.participations) + "\n";
    }
    html += "\n📊 <b>Невостребованные выигрыши старше срока</b>\n";
    if (stats->unclaimed.empty()) html += "нет\n";
    for (const auto& row : stats->unclaimed) {
      html += "#" + std::to_string(row.lottery.value()) + " " + text::title(row.lottery_title) +
              ", " + text::place_and_prize(row.place, row.prize) + ", счет " + row.account.str() +
              " (КК " + (row.club_card ? text::escape(row.club_card->str()) : "—") + ")\n";
    }
    conversation.reply(html);
  }

  // ---------------------------------------------------------------------------
  // Dialogues

  void continue_dialogue(const Dialogue& dialogue, const IncomingMessage& message,
                         Conversation& conversation) {
    if (dialogue.name == "register" && dialogue.step == "card") {
      registration_card(message, conversation);
    } else if (dialogue.name == "register" && dialogue.step == "phone") {
      registration_phone(dialogue, message, conversation);
    } else if (dialogue.name == "new_lottery" && is_admin(conversation.user.id)) {
      lottery_prizes(dialogue, message, conversation);
    } else if (dialogue.name == "add_accounts" && dialogue.step == "lines" &&
               is_admin(conversation.user.id)) {
      account_lines(dialogue, message, conversation);
    } else if (dialogue.name == "add_accounts") {
      conversation.reply("Выберите розыгрыш кнопкой выше или /cancel.");
    } else {
      conversation.transaction.dialogues().remove(dialogue.chat, dialogue.user);
      conversation.reply("Не понимаю. Список команд: /help");
    }
  }

  void registration_card(const IncomingMessage& message, Conversation& conversation) {
    const auto card = ClubCard::parse(message.text);
    if (!card) {
      conversation.reply(error_text(card.error()) + " Попробуйте ещё раз или /cancel.");
      return;
    }
    const auto free = checked(RegistrationService(deps).check_card(conversation.user.id, *card));
    if (!free) {
      conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
      conversation.reply(error_text(free.error()));
      return;
    }
    conversation.transaction.dialogues().save(Dialogue{conversation.chat, conversation.user.id,
                                                       "register", "phone", card->str(),
                                                       conversation.now});
    Markup keyboard;
    keyboard.kind = Markup::Kind::kKeyboard;
    keyboard.keyboard_rows = {{KeyboardButton{std::string(kShareContact), true}},
                              {KeyboardButton{std::string(kSkip), false}}};
    conversation.reply("Карта " + text::escape(card->str()) +
                           " принята. Поделитесь номером телефона кнопкой ниже, введите его или "
                           "нажмите «Пропустить».",
                       keyboard);
  }

  void registration_phone(const Dialogue& dialogue, const IncomingMessage& message,
                          Conversation& conversation) {
    std::optional<Phone> phone;
    if (message.contact) {
      if (message.contact->user_id != conversation.user.id) {
        conversation.reply("Отправьте, пожалуйста, свой собственный номер кнопкой «" +
                           std::string(kShareContact) + "».");
        return;
      }
      auto parsed = Phone::parse(message.contact->phone_number);
      if (!parsed) {
        conversation.reply(error_text(parsed.error()));
        return;
      }
      phone = *parsed;
    } else if (!equals_ignoring_case(trim(message.text), kSkip)) {
      auto parsed = Phone::parse(message.text);
      if (!parsed) {
        conversation.reply(error_text(parsed.error()) + " Или нажмите «Пропустить».");
        return;
      }
      phone = *parsed;
    }
    const auto card = ClubCard::parse(dialogue.data);
    conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
    if (!card) {
      conversation.reply("Начните регистрацию заново: /register", remove_keyboard());
      return;
    }
    const auto user = checked(RegistrationService(deps).register_user(
        RegistrationRequest{conversation.user.id, conversation.user.username,
                            conversation.user.first_name, *card, phone}));
    if (!user) {
      conversation.reply(error_text(user.error()), remove_keyboard());
      return;
    }
    conversation.reply("✅ Регистрация завершена!\n\nВаш код верификации: <code>" +
                           user->verification_code->str() +
                           "</code>. Сохраните его!\nОн понадобится, чтобы подтвердить выигрыш у "
                           "администратора. Посмотреть его снова: /my_account",
                       remove_keyboard());
  }

  void lottery_prizes(const Dialogue& dialogue, const IncomingMessage& message,
                      Conversation& conversation) {
    const auto prizes = LotteryService::parse_prizes(message.text);
    if (!prizes) {
      conversation.reply(error_text(prizes.error()) + " Попробуйте ещё раз или /cancel.");
      return;
    }
    const auto lottery =
        checked(LotteryService(deps).create(requester(conversation), dialogue.data, *prizes));
    conversation.transaction.dialogues().remove(conversation.chat, conversation.user.id);
    if (!lottery) {
      conversation.reply(error_text(lottery.error()));
      return;
    }
    std::string html = "✅ Розыгрыш #" + std::to_string(lottery->id.value()) + " " +
                       text::title(lottery->title) + " создан.\nПризы:\n";
    for (const Prize& prize : lottery->prizes)
      html += text::place_and_prize(prize.place, prize.text) + "\n";
    const std::string id = std::to_string(lottery->id.value());
    html += "\nДобавьте участников: /enroll " + id + " all (все активные счета), /enroll " + id +
            " СЧЕТ... или /add_accounts.\nПровести: /draw " + id + "\n\n" +
            fairness_text(*lottery, false);
    conversation.reply(html);
  }

  void account_lines(const Dialogue& dialogue, const IncomingMessage& message,
                     Conversation& conversation) {
    if (trim(message.text).empty()) {
      conversation.reply("Отправьте счета текстом или /cancel.");
      return;
    }
    Dialogue next = dialogue;
    next.step = "lottery";
    next.data = message.text;
    next.updated_at = conversation.now;
    conversation.transaction.dialogues().save(next);
    Markup choice;
    choice.kind = Markup::Kind::kInline;
    const auto list = checked(LotteryService(deps).list(requester(conversation)));
    if (list) {
      for (const Lottery& lottery : *list) {
        if (lottery.status != LotteryStatus::kOpen) continue;
        choice.inline_rows.push_back({InlineButton{
            "#" + std::to_string(lottery.id.value()) + " " + text::shorten(lottery.title, 40),
            std::string(kEnrolPrefix) + std::to_string(lottery.id.value())}});
      }
    }
    choice.inline_rows.push_back(
        {InlineButton{"Без розыгрыша", std::string(kEnrolPrefix) + "none"}});
    conversation.reply("В какой розыгрыш добавить эти счета?", choice);
  }

  void choose_lottery_for_accounts(const ButtonPress& press, std::string_view choice,
                                   Conversation& conversation) {
    auto& dialogues = conversation.transaction.dialogues();
    const auto dialogue = dialogues.find(conversation.chat, press.from.id);
    if (!dialogue || dialogue->name != "add_accounts" || dialogue->step != "lottery") {
      conversation.answer = ButtonAnswer{press.query_id, "Этот список уже обработан.", false};
      return;
    }
    std::optional<LotteryId> lottery;
    if (choice != "none") {
      lottery = parse_id<LotteryId>(choice);
      if (!lottery) {
        conversation.answer =
            ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", false};
        return;
      }
    }
    const auto report = checked(
        AccountService(deps).add_accounts(requester(conversation), dialogue->data, lottery));
    dialogues.remove(conversation.chat, press.from.id);
    conversation.answer = ButtonAnswer{press.query_id, report ? "Готово" : "Не выполнено", false};
    if (!report) {
      conversation.reply(error_text(report.error()));
      return;
    }
    std::string html = "📥 Счета: добавлено " + std::to_string(report->added) + ", без владельца " +
                       std::to_string(report->added_without_owner) + ", привязано " +
                       std::to_string(report->linked) + ", уже были " +
                       std::to_string(report->already_there) + ", отклонено " +
                       std::to_string(report->refused.size()) + ".";
    for (const RefusedLine& refused : report->refused) {
      html += "\nСтрока " + std::to_string(refused.line) + " («" + text::escape(refused.text) +
              "»): " + error_text(refused.error);
    }
    if (report->enrolment) html += "\n" + enrol_summary(*lottery, *report->enrolment);
    conversation.reply(html);
  }

  // ---------------------------------------------------------------------------
  // The winner's button

  void confirm_button(const ButtonPress& press, std::string_view id_text,
                      Conversation& conversation) {
    const auto winner = parse_id<WinnerId>(id_text);
    if (!winner) {
      (void)ClaimService(deps).refuse_forged_press(press.from.id, press.data);
      conversation.answer = ButtonAnswer{press.query_id, "Эта кнопка больше не действует.", true};
      return;
    }
    const auto outcome = checked(ClaimService(deps).confirm_by_button(press.from.id, *winner));
    if (!outcome) {
      conversation.answer = ButtonAnswer{press.query_id, error_text(outcome.error()), true};
      const auto code = outcome.error().code;
      if ((code == ErrorCode::kWinExpired || code == ErrorCode::kWinRedrawn) && press.chat) {
        // The button no longer works: take it away and say why.
        if (auto message = winner_message_for(*winner, conversation.now)) {
          conversation.replies.push_back(
              OutgoingMessage{*press.chat, *message + "\n\n" + error_text(outcome.error()),
                              Markup{}, press.message_id});
        }
      }
      return;
    }
    conversation.answer = ButtonAnswer{
        press.query_id,
        outcome->already_confirmed ? "Этот выигрыш уже подтвержден." : "✅ Выигрыш подтвержден!",
        false};
    if (press.chat && !outcome->already_confirmed) {
      if (auto message = winner_message_for(*winner, conversation.now)) {
        conversation.replies.push_back(
            OutgoingMessage{*press.chat,
                            *message + "\n\n✅ <b>Выигрыш подтвержден</b> " +
                                text::moment(*outcome->winner.claimed_at),
                            Markup{}, press.message_id});
      }
    }
  }

  // The winner message of this win as it was sent, without its button.
  std::optional<std::string> winner_message_for(WinnerId winner, Instant now) {
    auto transaction = ambient.begin();
    const auto win = transaction->winners().find(winner);
    if (!win) return std::nullopt;
    const auto lottery = transaction->lotteries().find(win->lottery);
    std::optional<VerificationCode> code;
    if (win->user) {
      if (const auto user = transaction->users().find(*win->user)) code = user->verification_code;
    }
    return winner_text(lottery ? lottery->title : "", *win, code, now);
  }

  std::string winner_text(std::string_view lottery_title, const Winner& win,
                          const std::optional<VerificationCode>& code, Instant now) const {
    std::string html = "🎉 <b>ПОЗДРАВЛЯЕМ!</b> Вы выиграли " + std::to_string(win.place) +
                       " место в розыгрыше " + text::title(lottery_title) +
                       "!\n\n🏆 Приз: " + text::escape(win.prize) +
                       "\n📋 Ваш выигрышный счет: " + win.account_number.str() +
                       "\n\n✅ Для подтверждения выигрыша нажмите кнопку "
                       "ниже или:\n1. Свяжитесь с администратором" +
                       (chat.admin_contact.empty() ? "" : " " + text::escape(chat.admin_contact)) +
                       "\n2. Сообщите ваш код верификации: <code>" +
                       (code ? code->str() : std::string("см. /my_account")) +
                       "</code>\n3. Администратор подтвердит ваш выигрыш в системе\n\n"
                       "⏰ Срок подтверждения: до " +
                       text::moment(win.deadline);
    if (win.deadline > now) html += " (осталось " + text::remaining(win.deadline - now) + ")";
    return html;
  }

  // ---------------------------------------------------------------------------
  // Notifications

  std::vector<OutgoingMessage> render(const Notification& notification) {
    // Opened only for the kinds that read the store: a reply renders without one.
    std::unique_ptr<Transaction> opened;
    const auto transaction = [&]() -> Transaction& {
      if (!opened) opened = store.begin();
      return *opened;
    };
    const Instant now = deps.clock.now();
    const std::string about =
        text::title(notification.lottery_title) + ", " +
        text::place_and_prize(notification.place, notification.prize) +
        (notification.account ? ", счет " + notification.account->str() : std::string{});
    const std::string winner_id =
        notification.winner ? std::to_string(notification.winner->value()) : std::string{};
    const std::string lottery_id =
        notification.lottery ? std::to_string(notification.lottery->value()) : std::string{};
    std::vector<OutgoingMessage> messages;
    const auto send = [&](const std::string& html, Markup markup = {},
                          std::optional<std::int64_t> edit = std::nullopt) {
      for (auto& part : text::split_message(html)) {
        messages.push_back(OutgoingMessage{notification.chat, std::move(part), markup, edit});
        markup = {};
        edit.reset();
      }
    };
    switch (notification.kind) {
      case NotificationKind::kReply:
      case NotificationKind::kReplyEdit: {
        auto markup = decode_markup(notification.markup);
        messages.push_back(OutgoingMessage{notification.chat, notification.text,
                                           markup.value_or(Markup{}),
                                           notification.kind == NotificationKind::kReplyEdit
                                               ? std::optional<std::int64_t>{notification.reference}
                                               : std::nullopt});
        break;
      }
      case NotificationKind::kWinnerDrawn: {
        const auto win =
            notification.winner ? transaction().winners().find(*notification.winner) : std::nullopt;
        if (!win || win->status != WinStatus::kPending) break;  // settled meanwhile
        std::optional<VerificationCode> code;
        if (win->user) {
          if (const auto user = transaction().users().find(*win->user))
            code = user->verification_code;
        }
        send(winner_text(notification.lottery_title, *win, code, now), confirm_markup(win->id));
        break;
      }
      case NotificationKind::kWinConfirmed:
        send("✅ Ваш выигрыш подтвержден! Администратор свяжется с вами для получения приза.\n\n" +
             about);
        break;
      case NotificationKind::kWinExpired:
        send("⌛ Срок подтверждения выигрыша истек: " + about +
             ".\nЕсли это ошибка, свяжитесь с администратором" +
             (chat.admin_contact.empty() ? "" : " " + text::escape(chat.admin_contact)) + ".");
        break;
      case NotificationKind::kClaimReminder:
      case NotificationKind::kClaimExtended: {
        const auto win =
            notification.winner ? transaction().winners().find(*notification.winner) : std::nullopt;
        if (!win || !win->is_confirmable(now)) break;
        send((notification.kind == NotificationKind::kClaimReminder
                  ? "⏰ Напоминание: подтвердите выигрыш — "
                  : "🔄 Срок подтверждения выигрыша продлён — ") +
                 about + ".\nОсталось " + text::remaining(win->deadline - now) + " (до " +
                 text::moment(win->deadline) + ").",
             confirm_markup(win->id));
        break;
      }
      case NotificationKind::kAccountAdded:
        if (notification.count > 1) {  // several at once, by an import
          const auto listed = static_cast<std::int64_t>(std::count(
                                  notification.detail.begin(), notification.detail.end(), '\n')) +
                              1;
          send("✅ К вашему профилю добавлены счета (" + std::to_string(notification.count) +
               "):\n" + text::escape_lines(notification.detail) +
               (notification.count > listed
                    ? "\n… и ещё " + std::to_string(notification.count - listed)
                    : std::string{}));
        } else {
          send("✅ К вашему профилю добавлен счет: " +
               (notification.account ? notification.account->str() : std::string{}));
        }
        break;
      case NotificationKind::kAdminWinConfirmed:
        send("✅ Выигрыш #" + winner_id + " подтвержден " +
             (notification.detail == "button" ? "победителем (кнопкой)" : "по коду") + ": " +
             about + ". Когда вручите приз: /prize_given " + winner_id);
        break;
      case NotificationKind::kAdminWinsExpired:
        send("⌛ В розыгрыше #" + lottery_id + " " + text::title(notification.lottery_title) +
             " истек срок подтверждения у выигрышей: " + std::to_string(notification.count) +
             ".\nПереиграть: /redraw " + lottery_id + "\nСтатус: /winner_status " + lottery_id);
        break;
      case NotificationKind::kAdminDrawn:
      case NotificationKind::kAdminRedrawn:
        send(std::string(notification.kind == NotificationKind::kAdminDrawn
                             ? "🎲 Проведён розыгрыш #"
                             : "🔁 Переигран розыгрыш #") +
             lottery_id + " " + text::title(notification.lottery_title) + ": победителей — " +
             std::to_string(notification.count) +
             (notification.detail.empty()
                  ? ""
                  : ", не разыграны места: " + text::escape(notification.detail)) +
             ".\nСтатус: /winner_status " + lottery_id);
        break;
      case NotificationKind::kAdminUndeliverable:
        send("⚠️ Сообщение в чат " + std::to_string(notification.count) +
             " не доставлено: " + text::undeliverable_reason(notification.detail) +
             (notification.winner ? ".\nЭто уведомление о выигрыше #" + winner_id + " (" + about +
                                        "): свяжитесь с победителем сами."
                                  : "."));
        break;
      case NotificationKind::kDrawProgress: {
        if (!notification.lottery) break;
        const DeliveryProgress progress =
            transaction().outbox().progress(*notification.lottery, NotificationKind::kWinnerDrawn);
        std::string html = "📨 Уведомления победителям розыгрыша #" + lottery_id + " " +
                           text::title(notification.lottery_title) + ": " +
                           std::to_string(progress.sent) + "/" + std::to_string(progress.total);
        if (progress.failed > 0) html += ", не доставлено: " + std::to_string(progress.failed);
        if (progress.sent + progress.failed >= progress.total) html += " — готово ✅";
        send(html);
        break;
      }
      case NotificationKind::kWinnersExport: {
        if (!notification.lottery) break;
        const auto rows = winner_export_rows(transaction(), *notification.lottery);
        if (!rows) break;  // the lottery is gone
        // A byte order mark and CRLF: spreadsheets open it as UTF-8 with its columns.
        std::string csv = "\xEF\xBB\xBF";
        const auto add_line = [&csv](const auto& fields) {
          bool first = true;
          for (const auto& field : fields) {
            csv += (first ? "" : ",") + text::csv_field(field);
            first = false;
          }
          csv += "\r\n";
        };
        add_line(kWinnerExportColumns);
        for (const WinnerExportRow& row : *rows) add_line(row);
        OutgoingMessage file{
            notification.chat,
            "📄 Победители розыгрыша #" + lottery_id + " " +
                text::title(notification.lottery_title) + ": " +
                text::plural(static_cast<long long>(rows->size()), "строка", "строки", "строк") +
                ".",
            {},
            std::nullopt,
            Document{"winners-" + lottery_id + ".csv", std::move(csv)}};
        messages.push_back(std::move(file));
        break;
      }
      case NotificationKind::kResultsPublished:
      case NotificationKind::kResultsUpdated: {
        if (!notification.lottery) break;
        std::optional<std::int64_t> edit;
        if (notification.kind == NotificationKind::kResultsUpdated) {
          edit = transaction().outbox().sent_message(*notification.lottery,
                                                     NotificationKind::kResultsPublished);
        }
        send(results_text(transaction(), *notification.lottery, notification.lottery_title), {},
             edit);
        break;
      }
    }
    return messages;
  }

  // The public post: each place's current winner, by first name, or the account
  // number of an ownerless account so its owner can come forward (R-UNOWNED-1).
  std::string results_text(Transaction& transaction, LotteryId lottery,
                           const std::string& lottery_title) {
    std::string html = "🎉 <b>Итоги розыгрыша " + text::title(lottery_title) + "</b>\n\n";
    std::map<int, const Winner*> current;
    const auto wins = transaction.winners().list_by_lottery(lottery);
    for (const Winner& win : wins) {
      if (win.status != WinStatus::kRedrawn) current[win.place] = &win;
    }
    for (const auto& [place, win] : current) {
      html += text::place_and_prize(place, win->prize) + ": ";
      std::optional<User> user;
      if (win->user) user = transaction.users().find(*win->user);
      if (user && user->is_registered) {
        html += text::escape(user->first_name.empty() ? "победитель" : user->first_name) +
                (win->is_claimed() ? " ✅" : "");
      } else {
        html += "Счет " + win->account_number.str() +
                " выиграл! Владелец, свяжитесь с администратором" +
                (chat.admin_contact.empty() ? "" : " " + text::escape(chat.admin_contact)) + ".";
      }
      html += "\n";
    }
    if (const auto found = transaction.lotteries().find(lottery)) {
      html += "\n" + fairness_text(*found, true);
    }
    return html;
  }

  static std::vector<BotCommand> admin_only_commands() {
    return {{"new_lottery", "создать розыгрыш: /new_lottery НАЗВАНИЕ"},
            {"lotteries", "список розыгрышей"},
            {"enroll", "добавить участников: /enroll ID СЧЕТ... или /enroll ID all"},
            {"draw", "провести розыгрыш: /draw ID [ПУБЛИЧНОЕ_ЗНАЧЕНИЕ]"},
            {"add_account", "добавить счет: /add_account КАРТА СЧЕТ"},
            {"add_accounts", "добавить много счетов списком"},
            {"remove_account", "деактивировать счет: /remove_account СЧЕТ"},
            {"list_accounts", "счета клиента: /list_accounts TELEGRAM_ID"},
            {"verify_winner", "подтвердить по коду: /verify_winner КОД ID [СЧЕТ]"},
            {"winner_status", "статус победителей: /winner_status ID"},
            {"check_unclaimed", "неподтверждённые выигрыши: /check_unclaimed ID"},
            {"redraw", "переиграть истекшие: /redraw ID"},
            {"extend_claim", "продлить срок: /extend_claim ID_ВЫИГРЫША [ЧАСЫ]"},
            {"prize_given", "приз вручён: /prize_given ID_ВЫИГРЫША"},
            {"stats", "отчёты"},
            {"export", "победители файлом CSV: /export ID"}};
  }
};

ChatBot::ChatBot(Dependencies dependencies, ChatSettings chat_settings)
    : impl_(std::make_unique<Impl>(std::move(dependencies), std::move(chat_settings))) {}

ChatBot::~ChatBot() = default;

Result<UpdateOutcome> ChatBot::handle(std::int64_t update_id, const ChatEvent& event) {
  return impl_->handle(update_id, event);
}

std::vector<OutgoingMessage> ChatBot::render(const Notification& notification) {
  return impl_->render(notification);
}

std::vector<BotCommand> ChatBot::client_commands() {
  return {{"start", "начать, регистрация"},
          {"my_account", "мой профиль, счета и выигрыши"},
          {"help", "список команд"},
          {"lottery_info", "розыгрыш и данные для проверки: /lottery_info ID"},
          {"cancel", "отменить текущее действие"}};
}

std::vector<BotCommand> ChatBot::admin_commands() {
  auto commands = client_commands();
  const auto admin = Impl::admin_only_commands();
  commands.insert(commands.end(), admin.begin(), admin.end());
  return commands;
}

}  // namespace lottery::chat
