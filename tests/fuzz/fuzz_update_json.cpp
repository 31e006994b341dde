// libFuzzer: whatever Telegram (or anyone) sends, the update mapping never crashes.
#include <cstdint>
#include <string_view>

#include "lottery/telegram/bot_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)lottery::telegram::parse_updates(input);
  (void)lottery::telegram::parse_update(input);
  (void)lottery::telegram::parse_response(input, 200);
  (void)lottery::telegram::parse_username(input);
  (void)lottery::telegram::parse_message_id(input);
  return 0;
}
