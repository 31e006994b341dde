// libFuzzer: the configuration parser never crashes and never echoes the token.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NUL-separated: the first field is the token, the rest are command-line arguments.
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      fields.emplace_back();
    } else {
      fields.back().push_back(static_cast<char>(data[i]));
    }
  }
  // The token ends in a marker no argument can guess: an error naming it leaks the token.
  constexpr const char* kMarker = "Q7x9ZpL2mK4vW8nR5tY1";
  const std::string token = fields.front() + kMarker;
  std::map<std::string, std::string> environment{{"TELEGRAM_BOT_TOKEN", token}};
  const std::vector<std::string> arguments(fields.begin() + 1, fields.end());
  const auto config = lottery::bot::parse_config(environment, arguments);
  // (An argument may be echoed in the error: only a marker that came from the token counts.)
  bool in_arguments = false;
  for (const auto& argument : arguments)
    in_arguments |= argument.find(kMarker) != std::string::npos;
  if (!config && !in_arguments && config.error().find(kMarker) != std::string::npos) std::abort();
  (void)lottery::bot::parse_duration(fields.front());
  return 0;
}
