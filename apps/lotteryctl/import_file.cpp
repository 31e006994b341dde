#include "import_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"

namespace lottery::ctl {
namespace {

constexpr std::size_t kReadChunk = 64UL * 1024;

// The column names a header may hold, as column_key() writes them: the card's, then the
// account's. Any other first line is data.
constexpr std::array<std::string_view, 5> kCardColumns{"card", "club_card", "карта",
                                                       "клубная_карта", "номер_карты"};
constexpr std::array<std::string_view, 5> kAccountColumns{"account", "account_number", "number",
                                                          "счет", "номер_счета"};

std::string_view trim_field(std::string_view field) {
  const auto first = field.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  field = field.substr(first, field.find_last_not_of(" \t") - first + 1);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
    field = field.substr(1, field.size() - 2);
  }
  return field;
}

// A column name as compared: Latin and Cyrillic in lower case, «ё» as «е», a space as «_».
std::string column_key(std::string_view name) {
  std::string key;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0U;
    if (byte == ' ') {
      key += '_';
    } else if (byte >= 'A' && byte <= 'Z') {
      key += static_cast<char>(byte - 'A' + 'a');
    } else if ((byte == 0xD0 && (next == 0x81 || next == 0x95 || next == 0xB5)) ||
               (byte == 0xD1 && next == 0x91)) {
      key += "е";  // Ё, Е, е, ё
      ++i;
    } else if (byte == 0xD0 && next >= 0x90 && next <= 0x9F) {  // А–П
      key += {'\xD0', static_cast<char>(next + 0x20)};
      ++i;
    } else if (byte == 0xD0 && next >= 0xA0 && next <= 0xAF) {  // Р–Я
      key += {'\xD1', static_cast<char>(next - 0x20)};
      ++i;
    } else {
      key += static_cast<char>(byte);
    }
  }
  return key;
}

// A header names the columns, "клубная_карта,номер_счёта" or "номер_счёта", in words of
// kCardColumns and kAccountColumns; a first line of anything else is data.
bool is_header(std::string_view line) {
  const auto named = [](std::string_view field, const auto& names) {
    return std::find(names.begin(), names.end(), column_key(trim_field(field))) != names.end();
  };
  const auto separator = line.find_first_of(",;");
  if (separator == std::string_view::npos) return named(line, kAccountColumns);
  return named(line.substr(0, separator), kCardColumns) &&
         named(line.substr(separator + 1), kAccountColumns);
}

// The length of the well-formed UTF-8 character `text` starts with, 0 if there is none.
std::size_t utf8_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte: no overlong forms, no surrogates
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string error_text(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return "нет такого файла";
    case EACCES:
    case EPERM:
      return "нет доступа";
    case EIO:
      return "ошибка ввода-вывода";
    default:
      return std::strerror(error);
  }
}

int open_import_file(const std::string& path, std::uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::cerr << "lotteryctl: не удалось открыть " << path << ": " << error_text(error) << '\n';
    return -1;
  }
  struct stat status {};
  if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) {
    ::close(fd);
    std::cerr << "lotteryctl: " << path << " — это каталог, а не файл CSV\n";
    return -1;
  }
  // A pipe or a device has no size to measure progress by.
  size = S_ISREG(status.st_mode) ? static_cast<std::uint64_t>(status.st_size) : 0;
  return fd;
}

ImportReader::ImportReader(int fd) : fd_(fd), buffer_(kReadChunk) {}

ImportReader::~ImportReader() { ::close(fd_); }

std::optional<ImportReader::Line> ImportReader::next_data_line() {
  while (auto line = next_line()) {
    if (line->number == 1 && line->text.starts_with("\xEF\xBB\xBF")) line->text.remove_prefix(3);
    if (line->too_long) {
      header_possible_ = false;
      return line;
    }
    if (trim_field(line->text).empty()) continue;
    const bool header = header_possible_ && is_header(line->text);
    header_possible_ = false;
    if (!header) return line;
  }
  return std::nullopt;
}

std::optional<ImportReader::Line> ImportReader::next_line() {
  line_.clear();
  std::uint64_t length = 0;  // the whole line's, however long
  bool any = false;
  bool ended = false;
  while (!ended && (begin_ < end_ || refill())) {
    any = true;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const std::size_t part =
        newline != nullptr ? static_cast<std::size_t>(newline - start) : available;
    // One byte over the cap: a line that long is refused unless that byte is its "\r".
    line_.append(start, std::min(part, kMaxLineBytes + 1 - line_.size()));
    length += part;
    ended = newline != nullptr;
    begin_ += part + (ended ? 1 : 0);
  }
  if (!any) return std::nullopt;
  if (length <= kMaxLineBytes + 1 && !line_.empty() && line_.back() == '\r') {
    line_.pop_back();
    --length;
  }
  return Line{++number_, line_, length > kMaxLineBytes};
}

bool ImportReader::refill() {
  for (;;) {
    const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
    if (got > 0) {
      begin_ = 0;
      end_ = static_cast<std::size_t>(got);
      bytes_read_ += end_;
      return true;
    }
    if (got == 0) return false;
    if (errno != EINTR) throw ReadError{errno};
  }
}

Result<AccountImportRow> parse_import_line(std::string_view line) {
  const auto separator = line.find_first_of(",;");
  if (separator == std::string_view::npos) {
    auto number = AccountNumber::parse(trim_field(line));
    if (!number) return tl::unexpected(number.error());
    return AccountImportRow{*number, std::nullopt};
  }
  const std::string_view rest = line.substr(separator + 1);
  if (rest.find_first_of(",;") != std::string_view::npos) return fail(ErrorCode::kInvalidArgument);
  const std::string_view card_text = trim_field(line.substr(0, separator));
  std::optional<ClubCard> card;
  if (!card_text.empty()) {
    auto parsed = ClubCard::parse(card_text);
    if (!parsed) return tl::unexpected(parsed.error());
    card = *parsed;
  }
  auto number = AccountNumber::parse(trim_field(rest));
  if (!number) return tl::unexpected(number.error());
  return AccountImportRow{*number, card};
}

std::string_view refusal_reason(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidAccountNumber:
      return "неверный номер счёта (нужно 14 цифр: XX-XX-XX-XX-XX-XX-XX)";
    case ErrorCode::kInvalidClubCard:
      return "неверный номер клубной карты";
    case ErrorCode::kAccountOwnedByAnother:
      return "счёт принадлежит другому клиенту";
    default:
      return "ожидается «клубная_карта,номер_счёта» или номер счёта";
  }
}

std::string_view too_long_reason() {
  static const std::string reason = "строка длиннее " + std::to_string(kMaxLineBytes) + " байт";
  return reason;
}

std::string printable(std::string_view text) {
  std::string shown;
  std::size_t characters = 0;
  while (!text.empty()) {
    if (characters++ == kShownCharacters) return shown + "…";
    const auto lead = static_cast<unsigned char>(text.front());
    const std::size_t length = utf8_length(text);
    const bool c1_control =
        length == 2 && lead == 0xC2 && static_cast<unsigned char>(text[1]) < 0xA0;
    if (length == 0 || lead < 0x20 || lead == 0x7F || c1_control) {
      const std::size_t escaped = c1_control ? 2 : 1;
      for (std::size_t i = 0; i < escaped; ++i) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        const auto value = static_cast<unsigned char>(text[i]);
        shown += {'\\', 'x', kHex[value >> 4U], kHex[value & 0x0FU]};
      }
      text.remove_prefix(escaped);
    } else {
      shown += text.substr(0, length);
      text.remove_prefix(length);
    }
  }
  return shown;
}

}  // namespace lottery::ctl
