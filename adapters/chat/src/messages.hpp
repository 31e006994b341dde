#pragma once

// Whole messages made of domain data, shared by the handlers and the notifications.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lottery/core/lottery.hpp"
#include "lottery/core/lottery_service.hpp"
#include "lottery/core/verification_code.hpp"
#include "lottery/core/winner.hpp"
#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/time_zone.hpp"
#include "lottery/ports/transaction.hpp"

namespace lottery::chat::message {

// What anyone needs to check the draw (docs/FAIRNESS.md): before it, the seed's
// commitment and the entry list's hash so far; after it, the seed itself too, and the
// winning accounts of every round in the order the shuffle picked them. The lines are
// what the verifier page reads from a pasted post (web/verify.html).
[[nodiscard]] std::string fairness(DrawRandomness& randomness, const Lottery& lottery, bool drawn,
                                   const std::vector<AccountNumber>& winners_in_draw_order = {});

// The address of the verifier page for a lottery (R-VERIFY-1); empty without PUBLIC_URL.
[[nodiscard]] std::string verifier_url(std::string_view public_url, LotteryId lottery);

// How a client checks a drawn lottery: the button's page, or the page from the bot's
// documentation with the attached list.
[[nodiscard]] std::string how_to_verify(bool with_button);

// The winner message: place, prize, account, how to confirm, the deadline.
[[nodiscard]] std::string winner(std::string_view lottery_title, const Winner& win,
                                 const std::optional<VerificationCode>& code,
                                 std::string_view admin_contact, Instant now, const TimeZone& zone);

// The public post: each place's current winner, by first name, or the account number
// of an ownerless account so its owner can come forward (R-UNOWNED-1).
// Then the data to check the draw.
[[nodiscard]] std::string results(Transaction& transaction, DrawRandomness& randomness,
                                  const Lottery& lottery, std::string_view admin_contact);

// "✅ Розыгрыш #1: добавлено участников — …" after /enroll or a list of accounts.
[[nodiscard]] std::string enrol_summary(LotteryId lottery, const EnrolReport& report);

// " администратором @contact" or " администратором" in a sentence.
[[nodiscard]] std::string contact_suffix(std::string_view admin_contact);

}  // namespace lottery::chat::message
