#pragma once

#include <optional>

#include "lottery/core/account_number.hpp"
#include "lottery/core/ids.hpp"
#include "lottery/core/time.hpp"

namespace lottery {

// A club account. It may exist before its owner registers (owner empty).
struct Account {
  AccountId id;
  AccountNumber number;
  std::optional<UserId> owner;
  bool is_active{true};
  Instant created_at;

  friend bool operator==(const Account&, const Account&) = default;
};

}  // namespace lottery
