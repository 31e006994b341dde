#pragma once

#include <string_view>

namespace lottery::bot {

// web/verify.html, embedded at build time (cmake/EmbedText.cmake): the bot serves it
// at PUBLIC_URL/verify (R-VERIFY-1).
[[nodiscard]] std::string_view verifier_page();

}  // namespace lottery::bot
