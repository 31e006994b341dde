#include "lottery/telegram/public_site.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>

#include "lottery/core/draw_publication.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::telegram {
namespace json = boost::json;

namespace {

// Published files kept in memory at most (a list of 10^6 entries is about 28 MB).
constexpr std::size_t kMaxCachedBytes = 96ULL * 1024 * 1024;
constexpr std::string_view kLotteriesPrefix = "/lotteries/";

struct Route {
  enum class Kind { kPage, kDrawJson, kEntriesCsv };
  Kind kind{Kind::kPage};
  LotteryId lottery{0};
};

std::optional<Route> route_of(std::string_view path) {
  if (path == "/verify" || path == "/verify/") return Route{};
  if (!path.starts_with(kLotteriesPrefix)) return std::nullopt;
  path.remove_prefix(kLotteriesPrefix.size());
  const auto slash = path.find('/');
  const std::string_view digits = path.substr(0, slash);
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (error != std::errc{} || end != digits.data() + digits.size() || id <= 0 ||
      digits.front() == '0' || slash == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view file = path.substr(slash + 1);
  if (file == "draw.json") return Route{Route::Kind::kDrawJson, LotteryId{id}};
  if (file == "entries.csv") return Route{Route::Kind::kEntriesCsv, LotteryId{id}};
  return std::nullopt;
}

WebhookResponse text(int status, std::string body) {
  WebhookResponse response{status, "text/plain; charset=utf-8", std::move(body), {}, {}};
  response.headers = {{"X-Content-Type-Options", "nosniff"}};
  return response;
}

// Public data: the verifier page opened from disk may read it too.
WebhookResponse shared(std::string content_type, std::shared_ptr<const std::string> body,
                       std::string cache_control) {
  WebhookResponse response{200, std::move(content_type), {}, std::move(body), {}};
  response.headers = {{"Cache-Control", std::move(cache_control)},
                      {"Access-Control-Allow-Origin", "*"},
                      {"X-Content-Type-Options", "nosniff"}};
  return response;
}

json::value hex_or_null(const std::optional<Digest>& digest) {
  return digest ? json::value(to_hex(*digest)) : json::value(nullptr);
}

// draw.json of docs/FAIRNESS.md "Checking a draw": what the results post says, in
// fields; the winners in the order the shuffle picked them.
std::string draw_json(const Lottery& lottery, Digest commitment, const DrawRecord* record,
                      const std::vector<Winner>& wins, std::uint64_t entries) {
  json::object draw{{"format", "club-lottery/draw/v2"},
                    {"lottery", lottery.id.value()},
                    {"title", lottery.title},
                    {"commitment", to_hex(commitment)},
                    {"seed", nullptr},
                    {"public_value", lottery.public_value},
                    {"entries_hash", to_hex(lottery.entries_hash)},
                    {"entry_count", entries}};
  if (record != nullptr) {
    draw["seed"] = to_hex(record->draw.seed);
    draw["entries_hash"] = hex_or_null(record->draw.entries_hash);
    draw["entries_url"] = "entries.csv";
    json::array skipped;
    for (const std::uint64_t ordinal : record->draw.skipped) skipped.push_back(ordinal);
    draw["skipped"] = std::move(skipped);
    json::array winners;
    for (std::size_t index = 0; index < wins.size() && index < record->draw.winners.size();
         ++index) {
      winners.push_back(json::object{{"ordinal", record->draw.winners[index]},
                                     {"account", wins[index].account_number.str()},
                                     {"round", wins[index].round},
                                     {"place", wins[index].place}});
    }
    draw["winners"] = std::move(winners);
  }
  return json::serialize(draw);
}

}  // namespace

struct PublicSite::Impl {
  struct Published {
    std::uint64_t draw_cursor{0};  // grows with each redraw: the data is stale then
    std::shared_ptr<const std::string> draw;
    std::shared_ptr<const std::string> entries;
    [[nodiscard]] std::size_t bytes() const { return draw->size() + entries->size(); }
  };

  Impl(TransactionManager& transaction_manager, DrawRandomness& draw_randomness,
       std::string verifier_page)
      : transactions(transaction_manager),
        randomness(draw_randomness),
        page(std::make_shared<const std::string>(std::move(verifier_page))) {}

  TransactionManager& transactions;
  DrawRandomness& randomness;
  std::shared_ptr<const std::string> page;
  std::mutex mutex;
  std::map<LotteryId, Published> cache;
  std::deque<LotteryId> cached_order;  // oldest first, for eviction
  std::size_t cached_bytes{0};

  std::optional<Published> cached(LotteryId lottery, std::uint64_t draw_cursor) {
    const std::lock_guard lock(mutex);
    const auto found = cache.find(lottery);
    if (found == cache.end() || found->second.draw_cursor != draw_cursor) return std::nullopt;
    return found->second;
  }

  void keep(LotteryId lottery, const Published& published) {
    const std::lock_guard lock(mutex);
    if (const auto old = cache.find(lottery); old != cache.end()) {
      cached_bytes -= old->second.bytes();
      cache.erase(old);
      std::erase(cached_order, lottery);
    }
    if (published.bytes() > kMaxCachedBytes) return;
    while (cached_bytes + published.bytes() > kMaxCachedBytes && !cached_order.empty()) {
      const auto oldest = cache.find(cached_order.front());
      cached_bytes -= oldest->second.bytes();
      cache.erase(oldest);
      cached_order.pop_front();
    }
    cache.emplace(lottery, published);
    cached_order.push_back(lottery);
    cached_bytes += published.bytes();
  }

  // A drawn lottery's files, from the cache or built from the store (read only).
  std::optional<Published> published(Transaction& transaction, const Lottery& lottery) {
    if (auto hit = cached(lottery.id, lottery.draw_cursor)) return hit;
    const auto record = published_draw(transaction, lottery.id);
    if (!record) return std::nullopt;
    Published built;
    built.draw_cursor = record->lottery.draw_cursor;
    const auto wins = wins_in_draw_order(transaction, lottery.id);
    built.draw = std::make_shared<const std::string>(
        draw_json(record->lottery, randomness.commitment(record->draw.seed), &*record, wins,
                  record->draw.entries.size()));
    std::string csv;
    for (const std::string& part : entries_csv_parts(record->draw.entries)) csv += part;
    built.entries = std::make_shared<const std::string>(std::move(csv));
    keep(lottery.id, built);
    return built;
  }

  WebhookResponse lottery_file(const Route& route) {
    const auto transaction = transactions.begin();  // read only: never committed
    const auto lottery = transaction->lotteries().find(route.lottery);
    if (!lottery) return text(404, "Розыгрыш не найден.");
    if (lottery->fairness_version < 2) {
      return text(404, "Розыгрыш проведён до проверяемых розыгрышей: данных для проверки нет.");
    }
    if (!lottery->drawn_at) {
      if (route.kind == Route::Kind::kEntriesCsv) {
        return text(404, "Розыгрыш ещё не проведён: список будет опубликован после розыгрыша.");
      }
      return shared("application/json",
                    std::make_shared<const std::string>(
                        draw_json(*lottery, randomness.commitment(lottery->seed), nullptr, {},
                                  transaction->entries().count(lottery->id))),
                    "no-cache");
    }
    const auto files = published(*transaction, *lottery);
    if (!files) return text(404, "Розыгрыш не найден.");
    if (route.kind == Route::Kind::kDrawJson) {
      return shared("application/json", files->draw, "no-cache");
    }
    // The list of a drawn lottery never changes.
    return shared("text/csv; charset=utf-8", files->entries, "public, max-age=86400");
  }
};

PublicSite::PublicSite(TransactionManager& transactions, DrawRandomness& randomness,
                       std::string verifier_page)
    : impl_(std::make_unique<Impl>(transactions, randomness, std::move(verifier_page))) {}

PublicSite::~PublicSite() = default;

bool PublicSite::serves(std::string_view path) {
  return path == "/verify" || path == "/verify/" || path.starts_with(kLotteriesPrefix);
}

WebhookResponse PublicSite::get(std::string_view target) {
  const auto route = route_of(target.substr(0, target.find('?')));
  if (!route) return text(404, "Нет такой страницы.");
  if (route->kind == Route::Kind::kPage) {
    return shared("text/html; charset=utf-8", impl_->page, "no-cache");
  }
  try {
    return impl_->lottery_file(*route);
  } catch (const StorageError& error) {
    spdlog::error("public site: {} failed: {}", target, error.what());
    return text(503, "База данных недоступна, попробуйте позже.");
  }
}

}  // namespace lottery::telegram
