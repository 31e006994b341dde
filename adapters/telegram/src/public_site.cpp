#include "lottery/telegram/public_site.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>
#include <semaphore>

#include "lottery/core/draw_publication.hpp"
#include "lottery/core/draw_verification.hpp"
#include "lottery/core/query_service.hpp"
#include "lottery/ports/storage_error.hpp"

namespace lottery::telegram {
namespace json = boost::json;

namespace {

// Entry lists kept in memory at most (a list of 10^6 entries is about 28 MB).
constexpr std::size_t kMaxCachedBytes = 96ULL * 1024 * 1024;
// Requests that may read the database at once: the bot's own work keeps the rest of
// the connection pool. Others wait their turn briefly (a draw.json costs a few
// indexed reads), then get 503.
constexpr std::ptrdiff_t kMaxReading = 2;
constexpr std::chrono::seconds kLongestWait{2};
constexpr std::string_view kLotteriesPrefix = "/lotteries/";

struct Route {
  enum class Kind { kPage, kDrawJson, kEntriesCsv };
  Kind kind{Kind::kPage};
  LotteryId lottery{0};
};

std::optional<Route> route_of(std::string_view path) {
  if (path == "/verify") return Route{};
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

// An answer that no cache may keep (a not-yet-drawn lottery's 404 must not outlive
// the draw).
WebhookResponse text(int status, std::string body) {
  WebhookResponse response{status, "text/plain; charset=utf-8", std::move(body), {}, {}};
  response.headers = {{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}};
  if (status == 503) response.headers.emplace_back("Retry-After", "2");
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

// draw.json (docs/FAIRNESS.md, "Checking a draw"): what the results post says, in
// fields; the winners in the order the shuffle picked them. Before the draw: the
// commitment and no seed.
std::string draw_json(const Lottery& lottery, const Digest& commitment, std::uint64_t entries,
                      const std::vector<PublishedWin>* wins) {
  json::object draw{{"format", "club-lottery/draw/v2"},
                    {"lottery", lottery.id.value()},
                    {"title", lottery.title},
                    {"commitment", to_hex(commitment)},
                    {"seed", nullptr},
                    {"public_value", lottery.public_value},
                    {"entries_hash", to_hex(lottery.entries_hash)},
                    {"entry_count", entries}};
  if (wins != nullptr) {
    draw["seed"] = to_hex(lottery.seed);
    draw["entries_url"] = "entries.csv";
    json::array skipped;
    for (const std::uint64_t ordinal : lottery.skipped_ordinals) skipped.push_back(ordinal);
    draw["skipped"] = std::move(skipped);
    json::array winners;
    for (const PublishedWin& each : *wins) {
      winners.push_back(json::object{{"ordinal", each.ordinal},
                                     {"account", each.win.account_number.str()},
                                     {"round", each.win.round},
                                     {"place", each.win.place}});
    }
    draw["winners"] = std::move(winners);
  }
  return json::serialize(draw);
}

}  // namespace

struct PublicSite::Impl {
  Impl(TransactionManager& transaction_manager, DrawRandomness& draw_randomness,
       std::string verifier_page)
      : transactions(transaction_manager),
        randomness(draw_randomness),
        page(std::make_shared<const std::string>(std::move(verifier_page))) {}

  struct Draw {
    std::uint64_t draw_cursor{0};  // grows with each redraw: the data is stale then
    std::shared_ptr<const std::string> json;
  };

  TransactionManager& transactions;
  DrawRandomness& randomness;
  std::shared_ptr<const std::string> page;
  std::counting_semaphore<kMaxReading> reading{kMaxReading};
  std::mutex mutex;  // guards the caches
  std::map<LotteryId, Draw> draws;
  // A drawn lottery's list never changes: kept by id, least recently used first out.
  std::map<LotteryId, std::shared_ptr<const std::string>> lists;
  std::deque<LotteryId> lists_by_use;
  std::size_t cached_bytes{0};
  std::mutex building;  // one list built at a time: each may take a second and 200 MB

  std::shared_ptr<const std::string> cached_list(LotteryId lottery) {
    const std::lock_guard lock(mutex);
    const auto found = lists.find(lottery);
    if (found == lists.end()) return nullptr;
    std::erase(lists_by_use, lottery);
    lists_by_use.push_back(lottery);
    return found->second;
  }

  void keep_list(LotteryId lottery, const std::shared_ptr<const std::string>& list) {
    const std::lock_guard lock(mutex);
    if (list->size() > kMaxCachedBytes || lists.contains(lottery)) return;
    while (cached_bytes + list->size() > kMaxCachedBytes && !lists_by_use.empty()) {
      const auto oldest = lists.find(lists_by_use.front());
      cached_bytes -= oldest->second->size();
      lists.erase(oldest);
      lists_by_use.pop_front();
    }
    lists.emplace(lottery, list);
    lists_by_use.push_back(lottery);
    cached_bytes += list->size();
  }

  // A lottery that is not published (gone, a draft, from before verifiable draws).
  static std::optional<WebhookResponse> unpublished(const std::optional<Lottery>& lottery) {
    if (!lottery || lottery->status == LotteryStatus::kDraft) {
      return text(404, "Розыгрыш не найден.");
    }
    if (lottery->fairness_version < 2) {
      return text(404, "Розыгрыш проведён до проверяемых розыгрышей: данных для проверки нет.");
    }
    return std::nullopt;
  }

  // Built from the lottery, its count and its wins (a few indexed reads, never the
  // list), and kept until a redraw moves the draw cursor.
  WebhookResponse draw_file(LotteryId id) {
    const auto transaction = transactions.begin_read_only();
    const auto lottery = transaction->lotteries().find(id);
    if (auto refused = unpublished(lottery)) return *refused;
    const Digest commitment = randomness.commitment(lottery->seed);
    const std::uint64_t entries = transaction->entries().count(id);
    if (!lottery->drawn_at) {
      return shared(
          "application/json",
          std::make_shared<const std::string>(draw_json(*lottery, commitment, entries, nullptr)),
          "no-cache");
    }
    {
      const std::lock_guard lock(mutex);
      if (auto found = draws.find(id);
          found != draws.end() && found->second.draw_cursor == lottery->draw_cursor) {
        return shared("application/json", found->second.json, "no-cache");
      }
    }
    const auto wins = published_wins(*transaction, id);
    auto built =
        std::make_shared<const std::string>(draw_json(*lottery, commitment, entries, &wins));
    const std::lock_guard lock(mutex);
    draws[id] = Draw{lottery->draw_cursor, built};  // a few KB each
    return shared("application/json", built, "no-cache");
  }

  WebhookResponse entries_file(LotteryId id) {
    if (auto list = cached_list(id)) return shared("text/csv; charset=utf-8", list, kListCaching);
    const std::lock_guard one_at_a_time(building);
    if (auto list = cached_list(id)) return shared("text/csv; charset=utf-8", list, kListCaching);
    std::shared_ptr<const std::string> list;
    {
      const auto transaction = transactions.begin_read_only();
      const auto lottery = transaction->lotteries().find(id);
      if (auto refused = unpublished(lottery)) return *refused;
      if (!lottery->drawn_at) {
        return text(404, "Розыгрыш ещё не проведён: список будет опубликован после розыгрыша.");
      }
      std::string csv;
      for (const std::string& part : entries_csv_parts(*transaction, id)) csv += part;
      list = std::make_shared<const std::string>(std::move(csv));
    }
    keep_list(id, list);
    return shared("text/csv; charset=utf-8", list, kListCaching);
  }

  static constexpr const char* kListCaching = "public, max-age=86400";
};

PublicSite::PublicSite(TransactionManager& transactions, DrawRandomness& randomness,
                       std::string verifier_page)
    : impl_(std::make_unique<Impl>(transactions, randomness, std::move(verifier_page))) {}

PublicSite::~PublicSite() = default;

bool PublicSite::serves(std::string_view path) {
  return path == "/verify" || path.starts_with(kLotteriesPrefix);
}

WebhookResponse PublicSite::get(std::string_view target) {
  const auto route = route_of(target.substr(0, target.find('?')));
  if (!route) return text(404, "Нет такой страницы.");
  if (route->kind == Route::Kind::kPage) {
    return shared("text/html; charset=utf-8", impl_->page, "no-cache");
  }
  // A cached list needs no database, and no turn.
  if (route->kind == Route::Kind::kEntriesCsv) {
    if (auto list = impl_->cached_list(route->lottery)) {
      return shared("text/csv; charset=utf-8", list, Impl::kListCaching);
    }
  }
  if (!impl_->reading.try_acquire_for(kLongestWait)) {
    return text(503, "Сервер занят, попробуйте через минуту.");
  }
  struct Release {
    std::counting_semaphore<kMaxReading>& semaphore;
    ~Release() { semaphore.release(); }
  } release{impl_->reading};
  try {
    return route->kind == Route::Kind::kDrawJson ? impl_->draw_file(route->lottery)
                                                 : impl_->entries_file(route->lottery);
  } catch (const StorageError& error) {
    spdlog::error("public site: {} failed: {}", target, error.what());
    return text(503, "База данных недоступна, попробуйте позже.");
  } catch (const std::exception& error) {
    // Out of memory, or a store that breaks its contract: this request fails, the
    // server goes on.
    spdlog::error("public site: {} failed: {}", target, error.what());
    return text(500, "Внутренняя ошибка.");
  }
}

}  // namespace lottery::telegram
