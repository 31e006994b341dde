#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "lottery/ports/draw_randomness.hpp"
#include "lottery/ports/transaction.hpp"
#include "lottery/telegram/webhook_server.hpp"

namespace lottery::telegram {

// The bot's public, read-only pages at PUBLIC_URL (R-VERIFY-1): the draw verifier page
// at /verify, and for each drawn lottery its published data at
// /lotteries/ID/draw.json and its entry list at /lotteries/ID/entries.csv (the bytes of
// `lotteryctl export entries`). Nothing personal is published: accounts only.
// Socket-free, so it is tested without I/O; the webhook server calls it on its
// handling pool, which bounds how many requests build an answer at once.
class PublicSite {
 public:
  // `verifier_page`: the HTML of web/verify.html. The ports must outlive the site.
  PublicSite(TransactionManager& transactions, DrawRandomness& randomness,
             std::string verifier_page);
  ~PublicSite();
  PublicSite(const PublicSite&) = delete;
  PublicSite& operator=(const PublicSite&) = delete;

  // Whether the site answers this path (the server then routes the GET here).
  [[nodiscard]] static bool serves(std::string_view path);

  // The answer to GET `target` (path and query). Thread-safe. A drawn lottery's entry
  // list never changes, so it is built once and kept (up to a total size); the
  // published data is rebuilt only after a redraw.
  [[nodiscard]] WebhookResponse get(std::string_view target);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lottery::telegram
