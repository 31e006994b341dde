#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lottery::db {

// Splits an SQL script into its statements at the semicolons that end them: not
// those inside quotes, dollar-quoted bodies ($$ ... $$) or CREATE TRIGGER ... END
// blocks. Comments are dropped; empty statements are skipped.
[[nodiscard]] std::vector<std::string> split_sql_script(std::string_view script);

}  // namespace lottery::db
