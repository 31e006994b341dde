// libFuzzer: the value-type parsers and the prize list never crash, and what they
// accept is stable (parsing their output gives the same value).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lottery/core/account_number.hpp"
#include "lottery/core/club_card.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/phone.hpp"
#include "lottery/core/verification_code.hpp"

namespace {

template <class Value>
void check_stable(std::string_view input) {
  const auto parsed = Value::parse(input);
  if (!parsed) return;
  const auto again = Value::parse(parsed->str());
  if (!again || *again != *parsed) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_stable<lottery::ClubCard>(input);
  check_stable<lottery::AccountNumber>(input);
  check_stable<lottery::Phone>(input);
  check_stable<lottery::VerificationCode>(input);
  if (const auto prizes = lottery::LotteryService::parse_prizes(input)) {
    for (std::size_t i = 0; i < prizes->size(); ++i) {
      if ((*prizes)[i].place != static_cast<int>(i) + 1) std::abort();
    }
  }
  return 0;
}
