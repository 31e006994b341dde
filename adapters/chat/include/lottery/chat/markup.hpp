#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lottery/chat/chat_types.hpp"

namespace lottery::chat {

// Markup travels through the outbox as text: one line for the kind, one per row,
// buttons separated by U+001F and their fields by U+001E.
[[nodiscard]] std::string encode_markup(const Markup& markup);
// The markup back, or nothing for text that encode_markup did not write.
[[nodiscard]] std::optional<Markup> decode_markup(std::string_view text);

}  // namespace lottery::chat
