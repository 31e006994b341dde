#pragma once

#include <string>
#include <string_view>

namespace lottery {

// `text` as one line that shows what it says, for names, titles and prizes typed by
// people: control characters (a newline included), line and paragraph separators and
// the bidirectional controls that reorder what follows them (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C) become a space or are dropped, so do the
// characters that show nothing (U+200B, U+2060, U+FEFF, …), and bytes that are not
// UTF-8 become U+FFFD. So no name can forge another line of an admin's view, or pass
// for another name by hidden characters.
[[nodiscard]] std::string one_line(std::string_view text);

}  // namespace lottery
