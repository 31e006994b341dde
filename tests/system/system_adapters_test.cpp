#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <set>

#include "lottery/core/draw.hpp"
#include "lottery/system/hmac_draw_randomness.hpp"
#include "lottery/system/secure_random.hpp"
#include "lottery/system/system_clock.hpp"
#include "lottery/system/tz_database_zone.hpp"

namespace lottery::system {
namespace {

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (const auto byte : bytes) {
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 0x0f]);
  }
  return text;
}

DrawSeed counting_seed() {
  DrawSeed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i + 1);
  return seed;
}

// The vector was computed independently with Python's hmac module:
//   hmac.new(bytes(range(1, 33)), b"club-lottery/draw/v1" + pack(">Q", 7) + pack(">Q", i),
//            sha256)
TEST(HmacDrawRandomness, MatchesAnIndependentImplementation) {
  HmacDrawRandomness randomness;
  const auto stream = randomness.stream(DrawInput{1, LotteryId{7}, counting_seed(), {}, ""});
  std::array<std::uint8_t, 40> bytes{};
  stream->fill(std::span<std::uint8_t>(bytes.data(), 10));  // reads may be of any size
  stream->fill(std::span<std::uint8_t>(bytes.data() + 10, 30));
  EXPECT_EQ(hex(std::span<const std::uint8_t>(bytes.data(), 32)),
            "4564b75d0eabe53bf000ba601a59478938f61b5d4d375373615bf53dcfb75294");
  EXPECT_EQ(hex(std::span<const std::uint8_t>(bytes.data() + 32, 8)), "93bfb7c58921b74e");
}

// The test vector of docs/FAIRNESS.md, computed independently with Python's hashlib and
// hmac (the script is in the doc).
TEST(HmacDrawRandomness, MatchesTheTestVectorOfTheFairnessDoc) {
  HmacDrawRandomness randomness;
  EXPECT_EQ(hex(randomness.commitment(counting_seed())),
            "ae216c2ef5247a3782c135efa279a3e4cdc61094270f5d2be58c6204b7a612c9");
  Digest entries{};
  std::uint64_t ordinal = 0;
  for (const char* number :
       {"11-22-33-44-55-66-77", "10-00-00-00-00-00-01", "99-88-77-66-55-44-33"}) {
    entries = randomness.extend_entries(entries, ordinal++, AccountNumber::parse(number).value());
  }
  EXPECT_EQ(hex(entries), "8f98b8ad619783096b3b7d5d20a9d01c80e4aab98e6c02e125d7de8693675853");
  const auto stream = randomness.stream(
      DrawInput{2, LotteryId{7}, counting_seed(), entries, "2026-11-26 Русское лото: 17 42 5"});
  std::array<std::uint8_t, 40> bytes{};
  stream->fill(bytes);
  EXPECT_EQ(hex(std::span<const std::uint8_t>(bytes.data(), 32)),
            "29958faede6817657175ab063b17bde0bf9921f494f3c9fba08d6cb672a760f4");
  EXPECT_EQ(hex(std::span<const std::uint8_t>(bytes.data() + 32, 8)), "338cc22ce42a05ba");
}

TEST(HmacDrawRandomness, TheSameInputGivesTheSameStreamAndAnyChangeAnother) {
  HmacDrawRandomness randomness;
  auto draw = [&](LotteryId lottery, DrawSeed seed, Digest entries = {},
                  const std::string& public_value = "") {
    const auto stream = randomness.stream(DrawInput{2, lottery, seed, entries, public_value});
    LazyShuffle shuffle(1'000'000, *stream);
    std::vector<std::uint64_t> picks;
    picks.reserve(10);
    for (int i = 0; i < 10; ++i) picks.push_back(*shuffle.next());
    return picks;
  };
  DrawSeed other = counting_seed();
  other[31] ^= 1;
  EXPECT_EQ(draw(LotteryId{1}, counting_seed()), draw(LotteryId{1}, counting_seed()));
  EXPECT_NE(draw(LotteryId{1}, counting_seed()), draw(LotteryId{2}, counting_seed()));
  EXPECT_NE(draw(LotteryId{1}, counting_seed()), draw(LotteryId{1}, other));
  Digest changed_list{};
  changed_list[0] = 1;
  EXPECT_NE(draw(LotteryId{1}, counting_seed()), draw(LotteryId{1}, counting_seed(), changed_list));
  EXPECT_NE(draw(LotteryId{1}, counting_seed()), draw(LotteryId{1}, counting_seed(), {}, "7"));
}

TEST(SecureRandom, FillsEveryByteAndNeverRepeats) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::array<std::uint8_t, 32> bytes{};
    random.fill(bytes);
    EXPECT_TRUE(seen.insert(hex(bytes)).second);
  }
  std::vector<std::uint8_t> large(1 << 20);
  random.fill(large);
  std::array<int, 256> counts{};
  for (const auto byte : large) ++counts[byte];
  for (const int count : counts) EXPECT_GT(count, 0);
}

// R-TIME-1: the zone's rules come from the system's tz database, daylight saving
// included; the expected civil times are the published ones.
Instant utc(int year, unsigned month, unsigned day, int hour, int minute) {
  return Instant{std::chrono::sys_days{std::chrono::year{year} / std::chrono::month{month} /
                                       std::chrono::day{day}} +
                 std::chrono::hours{hour} + std::chrono::minutes{minute}};
}

std::string shown(const TimeZone& zone, Instant at) {
  const CivilTime civil = zone.civil(at);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d %s", civil.year, civil.month,
                civil.day, civil.hour, civil.minute, civil.abbreviation.c_str());
  return text;
}

TEST(TzDatabaseZone, ShowsTheClubsCivilTimeAcrossDaylightSaving) {
  const auto moscow = TzDatabaseZone::locate("Europe/Moscow");
  ASSERT_TRUE(moscow);
  EXPECT_EQ(shown(*moscow, utc(2026, 11, 27, 10, 0)), "2026-11-27 13:00 MSK");
  EXPECT_EQ(shown(*moscow, utc(2026, 12, 31, 22, 30)), "2027-01-01 01:30 MSK");  // a new year
  const auto berlin = TzDatabaseZone::locate("Europe/Berlin");
  ASSERT_TRUE(berlin);
  // Summer time began on 29 March 2026 at 01:00 UTC.
  EXPECT_EQ(shown(*berlin, utc(2026, 3, 29, 0, 59)), "2026-03-29 01:59 CET");
  EXPECT_EQ(shown(*berlin, utc(2026, 3, 29, 1, 0)), "2026-03-29 03:00 CEST");
  EXPECT_EQ(shown(*berlin, utc(2026, 10, 25, 0, 30)), "2026-10-25 02:30 CEST");
  EXPECT_EQ(shown(*berlin, utc(2026, 10, 25, 1, 30)), "2026-10-25 02:30 CET");
  // A zone whose abbreviation is its offset says what the offset is from.
  const auto yekaterinburg = TzDatabaseZone::locate("Asia/Yekaterinburg");
  ASSERT_TRUE(yekaterinburg);
  EXPECT_EQ(shown(*yekaterinburg, utc(2026, 6, 1, 12, 0)), "2026-06-01 17:00 UTC+05");
}

TEST(TzDatabaseZone, NamesNotInTheDatabaseAreRefused) {
  for (const char* name : {"", "Moscow", "MSK+3", "Europe/Nowhere", "../../etc/passwd",
                           "Europe/Moscow\n", "/usr/share/zoneinfo/Europe/Moscow"}) {
    EXPECT_FALSE(TzDatabaseZone::locate(name)) << name;
  }
  EXPECT_FALSE(TzDatabaseZone::locate(std::string(10'000, 'A')));
}

TEST(SystemClock, TellsTheCurrentTimeAndNeverGoesBack) {
  SystemClock clock;
  const Instant first = clock.now();
  const auto real = std::chrono::system_clock::now();
  EXPECT_LT(std::chrono::abs(real - first), std::chrono::minutes{1});
  Instant previous = first;
  for (int i = 0; i < 1000; ++i) {
    const Instant next = clock.now();
    EXPECT_GE(next, previous);
    previous = next;
  }
}

}  // namespace
}  // namespace lottery::system
