#include "texts.hpp"

#include <chrono>
#include <cstdio>

#include "lottery/core/display_text.hpp"
#include "lottery/core/utc_zone.hpp"

namespace lottery::chat::text {
namespace {

// Characters, not bytes, of UTF-8 text.
std::size_t characters(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

std::string escape(std::string_view raw) {
  // Whatever is shown is one line of what it says: no forged lines, no reordering.
  const std::string text = one_line(raw);
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

std::string remaining(Duration left) {
  using std::chrono::duration_cast;
  if (left <= Duration::zero()) return "срок истёк";
  const auto total_minutes = duration_cast<std::chrono::minutes>(left).count();
  if (total_minutes == 0) return "меньше минуты";
  const long long hours = total_minutes / 60;
  const long long minutes = total_minutes % 60;
  if (hours == 0) return std::to_string(minutes) + " мин";
  if (minutes == 0) return std::to_string(hours) + " ч";
  return std::to_string(hours) + " ч " + std::to_string(minutes) + " мин";
}

std::string moment(Instant at, const TimeZone& zone) { return escape(shown_time(at, zone)); }

std::string plural(long long count, const char* one, const char* few, const char* many) {
  const long long last_two = count % 100;
  const long long last = count % 10;
  const char* word = many;
  if (last_two < 11 || last_two > 14) {
    if (last == 1) word = one;
    if (last >= 2 && last <= 4) word = few;
  }
  return std::to_string(count) + " " + word;
}

std::string window(std::chrono::seconds length) {
  const long long seconds = length.count();
  if (seconds % 3600 == 0) return plural(seconds / 3600, "час", "часа", "часов");
  if (seconds % 60 == 0) return plural(seconds / 60, "минута", "минуты", "минут");
  return plural(seconds, "секунда", "секунды", "секунд");
}

std::string private_chat_only(std::string_view bot_username) {
  return "Я работаю в личных сообщениях: напишите мне @" + escape(bot_username) + ".";
}

std::string usage(std::string_view command_usage) {
  return "Использование: " + escape(command_usage);
}

std::string try_again(std::string_view refusal) {
  return std::string(refusal) + " Попробуйте ещё раз или /cancel.";
}

std::string title(std::string_view lottery_title) { return "«" + escape(lottery_title) + "»"; }

std::string place_and_prize(int place, std::string_view prize) {
  return std::to_string(place) + " место — " + escape(prize);
}

std::string win_status(const Winner& win, Instant now) {
  switch (win.status) {
    case WinStatus::kClaimed:
      return win.prize_given_at ? "✅ Подтвержден, приз вручён" : "✅ Подтвержден";
    case WinStatus::kExpired:
      return "❌ Не подтвержден (истек срок)";
    case WinStatus::kRedrawn:
      return "🔁 Переигран";
    case WinStatus::kPending:
      if (now >= win.deadline) return "❌ Не подтвержден (истек срок)";
      return "⏳ Ожидает подтверждения (осталось " + remaining(win.deadline - now) + ")";
  }
  return {};
}

namespace {

// The core names what was wrong in a few fixed English words ("prize 2", "line 3");
// people read it in Russian.
std::string prizes_problem(std::string_view detail) {
  const auto number = [&](std::string_view word) {
    return std::string(detail.substr(word.size()));
  };
  std::string rules =
      "по одному на строку «МЕСТО ПРИЗ», места 1, 2, 3… без пропусков, приз — от 1 до 200 "
      "символов в одну строку.";
  if (detail == "count") return "мест должно быть от 1 до 100.";
  if (detail.starts_with("place ")) {
    return "нет места " + number("place ") + ": места идут подряд 1, 2, 3… без пропусков.";
  }
  if (detail.starts_with("prize ")) {
    return "приз за " + number("prize ") +
           " место — от 1 до 200 символов в одну строку, без управляющих символов.";
  }
  if (detail.starts_with("line ")) return "строка " + number("line ") + ": " + rules;
  return rules;
}

std::string argument_problem(std::string_view detail) {
  if (detail == "too many lines") return ": слишком много строк за раз.";
  if (detail == "public value") {
    return ": публичное значение — до 128 байт в одну строку, без управляющих символов.";
  }
  return ".";
}

}  // namespace

std::string escape_lines(std::string_view text) {
  std::string escaped;
  while (true) {
    const auto end = text.find('\n');
    escaped += escape(text.substr(0, end));
    if (end == std::string_view::npos) return escaped;
    escaped += '\n';
    text.remove_prefix(end + 1);
  }
}

std::string lottery_status(LotteryStatus status) {
  switch (status) {
    case LotteryStatus::kDraft:
      return "черновик";
    case LotteryStatus::kOpen:
      return "открыт";
    case LotteryStatus::kDrawn:
      return "проведён";
    case LotteryStatus::kClosed:
      return "завершён";
  }
  return {};
}

std::string holder(const User& user) {
  std::string who = escape(user.first_name.empty() ? "без имени" : user.first_name);
  if (!user.username.empty()) who += " (@" + escape(user.username) + ")";
  who += ", id " + std::to_string(user.telegram_id.value());
  if (user.club_card) who += ", карта " + escape(user.club_card->str());
  return who;
}

std::string undeliverable_reason(std::string_view reason) {
  // The sender writes "CODE: Telegram's description".
  if (reason.starts_with("403")) return "бот заблокирован пользователем или удалён из чата";
  if (reason.starts_with("404")) return "чат не найден";
  if (reason.starts_with("413")) return "сообщение слишком большое";
  if (reason.starts_with("400")) return "Telegram отклонил сообщение";
  return "Telegram отказал в доставке";
}

std::string error(const Error& error, std::string_view admin_contact) {
  const std::string contact =
      admin_contact.empty() ? "администратором" : "администратором " + escape(admin_contact);
  const std::string detail = escape(error.detail);
  switch (error.code) {
    case ErrorCode::kInvalidClubCard:
      return "Номер клубной карты — от 1 до 20 цифр, например 2223.";
    case ErrorCode::kInvalidAccountNumber:
      return "Неверный номер счета «" + detail +
             "». Формат: XX-XX-XX-XX-XX-XX-XX (14 цифр, например 11-22-33-44-55-66-77).";
    case ErrorCode::kInvalidVerificationCode:
      return "Код верификации — 8 букв и цифр, например AB23CD45.";
    case ErrorCode::kInvalidPhone:
      return "Не похоже на номер телефона. Пример: +7 912 345-67-89.";
    case ErrorCode::kInvalidPrizes:
      return "Призы не приняты: " + prizes_problem(error.detail);
    case ErrorCode::kInvalidTitle:
      return "Название розыгрыша — от 1 до 200 символов.";
    case ErrorCode::kInvalidDuration:
      return "Срок — целое число часов от 1 до 720.";
    case ErrorCode::kNotAdmin:
      return "Неизвестная команда. Список команд: /help";
    case ErrorCode::kNotRegistered:
      return "Вы ещё не зарегистрированы. Начните с /start.";
    case ErrorCode::kAlreadyRegistered:
      return "Вы уже зарегистрированы. Ваш профиль: /my_account";
    case ErrorCode::kCardTaken:
      return "Карта " + detail +
             " уже зарегистрирована другим пользователем Telegram. Если это ваша карта, "
             "свяжитесь с " +
             contact + ".";
    case ErrorCode::kCodeTaken:
    case ErrorCode::kConflict:
      return "Не получилось из-за одновременного изменения. Попробуйте ещё раз.";
    case ErrorCode::kUnknownUser:
      return "Пользователь " + detail + " не найден.";
    case ErrorCode::kUnknownAccount:
      return "Счет " + detail + " не найден.";
    case ErrorCode::kAccountExists:
      return "Счет " + detail + " уже есть.";
    case ErrorCode::kAccountInactive:
      return "Счет " + detail + " уже деактивирован.";
    case ErrorCode::kAccountOwnedByAnother:
      return "Счет " + detail + " принадлежит другому клиенту.";
    case ErrorCode::kUnknownLottery:
      return "Розыгрыш #" + detail + " не найден. Список: /lotteries";
    case ErrorCode::kLotteryNotOpen:
      return "Розыгрыш #" + detail + " уже проведён: участников добавлять нельзя.";
    case ErrorCode::kAlreadyDrawn:
      return "Розыгрыш #" + detail + " уже проведён. Для неподтверждённых выигрышей: /redraw " +
             detail;
    case ErrorCode::kNotDrawn:
      return "Розыгрыш #" + detail + " ещё не проведён: /draw " + detail;
    case ErrorCode::kNoEntries:
      return "В розыгрыше #" + detail + " нет активных участников: /enroll " + detail + " all";
    case ErrorCode::kUnknownWinner:
      return "Выигрыш #" + detail + " не найден.";
    case ErrorCode::kNotYourWin:
      return "Этот выигрыш принадлежит другому участнику.";
    case ErrorCode::kWinExpired:
      // Clients read it too: no admin command in it, the admins know theirs.
      return "Срок подтверждения выигрыша #" + detail +
             " истек. Продлить срок может администратор клуба.";
    case ErrorCode::kWinRedrawn:
      return "Этот выигрыш уже переигран.";
    case ErrorCode::kWinAlreadyClaimed:
      return "Выигрыш #" + detail + " уже подтвержден.";
    case ErrorCode::kWinNotClaimed:
      return "Выигрыш #" + detail + " ещё не подтвержден.";
    case ErrorCode::kPrizeAlreadyGiven:
      return "Приз по выигрышу #" + detail + " уже отмечен как вручённый.";
    case ErrorCode::kNoPendingWin:
      return "У этого участника нет ожидающих подтверждения выигрышей в этом розыгрыше.";
    case ErrorCode::kAmbiguousWin:
      return "Выигрышей несколько: укажите счет.";
    case ErrorCode::kNoExpiredWins:
      return "В розыгрыше #" + detail + " нет выигрышей с истекшим сроком.";
    case ErrorCode::kNoClient:
      return "Клиент «" + detail +
             "» не найден. Ищу по клубной карте, @username, телефону, номеру счета и номеру "
             "пользователя в Telegram.";
    case ErrorCode::kNoPhoneForSecondFactor:
      return "Для подтверждения нужен код по СМС, а в вашей регистрации нет телефона. "
             "Свяжитесь с " +
             contact + ".";
    case ErrorCode::kSmsNotSent:
      return "Не удалось отправить СМС с кодом. Нажмите кнопку ещё раз через минуту или "
             "свяжитесь с " +
             contact + ".";
    case ErrorCode::kNoSmsChallenge:
      return "Сначала нажмите кнопку «Подтвердить выигрыш» — бот пришлёт код по СМС.";
    case ErrorCode::kSmsCodeExpired:
      return "Код из СМС больше не действует. Нажмите кнопку ещё раз — придёт новый.";
    case ErrorCode::kWrongSmsCode:
      return detail == "0" ? "Неверный код. Попытки закончились: нажмите кнопку ещё раз, "
                             "чтобы получить новый код."
                           : "Неверный код. Осталось попыток: " + detail + ".";
    case ErrorCode::kSmsLimitReached:
      return "Коды по СМС для этого выигрыша исчерпаны. Свяжитесь с " + contact +
             ": он подтвердит выигрыш по вашему коду верификации.";
    case ErrorCode::kAccountWithoutOwner:
      return "Счет " + detail + " без владельца. Привязать его к клиенту: /add_account КАРТА " +
             detail;
    case ErrorCode::kUnknownCode:
      return "Код " + detail + " не найден.";
    case ErrorCode::kInvalidArgument:
      return "Неверные данные" + argument_problem(error.detail);
    case ErrorCode::kStorageUnavailable:
      return "Сервис временно недоступен. Попробуйте через минуту.";
  }
  return "Что-то пошло не так. Попробуйте ещё раз.";
}

std::string shorten(std::string_view text, std::size_t limit) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count++ == limit) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

std::vector<std::string> split_message(const std::string& text, std::size_t limit) {
  std::vector<std::string> parts;
  std::string current;
  std::size_t current_length = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    // A single line longer than the limit is cut at character boundaries.
    while (characters(line) > limit) {
      std::size_t bytes = 0;
      std::size_t count = 0;
      while (bytes < line.size() && count < limit) {
        ++bytes;
        while (bytes < line.size() && (static_cast<unsigned char>(line[bytes]) & 0xC0) == 0x80) {
          ++bytes;
        }
        ++count;
      }
      if (!current.empty()) parts.push_back(std::move(current));
      parts.push_back(line.substr(0, bytes));
      line.erase(0, bytes);
      current.clear();
      current_length = 0;
    }
    const std::size_t length = characters(line);
    const std::size_t needed = current.empty() ? length : current_length + 1 + length;
    if (needed > limit) {
      parts.push_back(std::move(current));
      current = std::move(line);
      current_length = length;
    } else {
      if (!current.empty()) current.push_back('\n');
      current += line;
      current_length = needed;
    }
  }
  if (!current.empty() || parts.empty()) parts.push_back(std::move(current));
  return parts;
}

}  // namespace lottery::chat::text
