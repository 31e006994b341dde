// R-VERIFY-1 in a real browser: Debian's headless Chromium loads web/verify.html from
// disk and checks the test vectors of docs/FAIRNESS.md (read from the doc itself), a
// pasted results post with a chosen file, and catches a changed list, a wrong seed and
// swapped winners.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "headless_chromium.hpp"

namespace lottery::testing {
namespace {

namespace json = boost::json;
const std::string kSourceDir = LOTTERY_SOURCE_DIR;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// The indented block under the line starting with `heading` in docs/FAIRNESS.md.
std::vector<std::string> doc_block(const std::string& heading) {
  std::istringstream doc(read_file(kSourceDir + "/docs/FAIRNESS.md"));
  std::vector<std::string> lines;
  bool taking = false;
  for (std::string line; std::getline(doc, line);) {
    if (!taking) {
      taking = line.rfind(heading, 0) == 0;
      continue;
    }
    if (line.rfind("    ", 0) == 0) {
      lines.push_back(line.substr(4));
    } else if (!line.empty()) {
      break;
    }
  }
  return lines;
}

// A vector of the doc: its inputs, and what the doc says comes out.
struct Vector {
  std::string entries_csv;
  std::vector<std::uint64_t> skipped;
  std::string commitment;
  std::string entries_hash;
  std::vector<std::uint64_t> winners;
  std::vector<std::string> winner_accounts;
};

constexpr std::string_view kSeed =
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
constexpr std::string_view kPublicValue = "2026-11-26 Русское лото: 17 42 5";

Vector doc_vector(const std::string& expected_heading, std::vector<std::uint64_t> skipped) {
  Vector vector;
  for (const auto& line : doc_block("`entries.csv`:")) vector.entries_csv += line + "\n";
  vector.skipped = std::move(skipped);
  for (const auto& line : doc_block(expected_heading)) {
    std::istringstream words(line);
    std::string word;
    words >> word;
    if (word == "commitment") words >> vector.commitment;
    if (word == "entries_hash") words >> vector.entries_hash;
    if (word == "winner") {
      std::uint64_t place = 0;
      std::uint64_t ordinal = 0;
      std::string account;
      words >> place >> ordinal >> account;
      vector.winners.push_back(ordinal);
      vector.winner_accounts.push_back(account);
    }
  }
  return vector;
}

json::object draw_json(const Vector& vector) {
  json::array winners;
  for (std::size_t index = 0; index < vector.winners.size(); ++index) {
    winners.push_back(json::object{{"ordinal", vector.winners[index]},
                                   {"account", vector.winner_accounts[index]}});
  }
  json::array skipped;
  for (const auto ordinal : vector.skipped) skipped.push_back(ordinal);
  return json::object{{"format", "club-lottery/draw/v2"},
                      {"lottery", 7},
                      {"title", "Пример"},
                      {"commitment", vector.commitment},
                      {"seed", kSeed},
                      {"public_value", kPublicValue},
                      {"entries_hash", vector.entries_hash},
                      {"entry_count", 5},
                      {"entries_url", "entries.csv"},
                      {"skipped", std::move(skipped)},
                      {"winners", std::move(winners)}};
}

class VerifierPage : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("verifier-page-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "---- chromium ----\n" << browser_.log();
    std::filesystem::remove_all(directory_);
  }

  static std::string page() { return "file://" + kSourceDir + "/web/verify.html"; }

  // Publishes the draw as the bot would (draw.json beside entries.csv) and opens the
  // page on it; the verdicts once the page has checked it.
  std::map<std::string, std::string> verify_published(const json::object& draw,
                                                      const std::string& entries_csv) {
    write_file(directory_ / "draw.json", json::serialize(draw));
    write_file(directory_ / "entries.csv", entries_csv);
    browser_.open(page() + "?draw=file://" + (directory_ / "draw.json").string());
    return verdicts();
  }

  std::map<std::string, std::string> verdicts() {
    browser_.evaluate("window.lotteryVerification");
    const json::value states = browser_.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#verdicts [data-check]')]"
        ".map(item => [item.dataset.check, item.dataset.state]))");
    std::map<std::string, std::string> result;
    for (const auto& [check, state] : states.as_object()) {
      result[std::string(check)] = std::string(state.as_string());
    }
    result["result"] = std::string(
        browser_.evaluate("document.querySelector('#result').dataset.state").as_string());
    return result;
  }

  std::vector<std::uint64_t> computed_winners() {
    std::vector<std::uint64_t> ordinals;
    const json::value computed =
        browser_.evaluate("window.lotteryVerification.then(r => r.winnersComputed)");
    for (const auto& ordinal : computed.as_array()) {
      ordinals.push_back(static_cast<std::uint64_t>(ordinal.to_number<double>()));
    }
    return ordinals;
  }

  const std::map<std::string, std::string> all_ok_{
      {"commitment", "ok"}, {"entries", "ok"}, {"winners", "ok"}, {"result", "ok"}};
  std::filesystem::path directory_;
  HeadlessChromium browser_;
};

TEST_F(VerifierPage, TheFairnessDocVectorsVerifyInTheBrowser) {
  const Vector draw = doc_vector("Expected (the output of `verify_draw.py`):", {0});
  ASSERT_EQ(draw.winners.size(), 3U) << "the vector was not found in docs/FAIRNESS.md";
  EXPECT_EQ(verify_published(draw_json(draw), draw.entries_csv), all_ok_);
  EXPECT_EQ(computed_winners(), draw.winners);

  const Vector redraw = doc_vector("Expected for the redraw (skipped `0,4`, 3 winners):", {0, 4});
  ASSERT_EQ(redraw.winners.size(), 3U) << "the redraw vector was not found in docs/FAIRNESS.md";
  EXPECT_EQ(verify_published(draw_json(redraw), redraw.entries_csv), all_ok_);
  EXPECT_EQ(computed_winners(), redraw.winners);
}

TEST_F(VerifierPage, APastedPostAndAChosenFileVerify) {
  const Vector draw = doc_vector("Expected (the output of `verify_draw.py`):", {0});
  const std::string post =
      "🎉 Итоги розыгрыша «Пример»\n\n1 место — Чайник: Анна\n\n"
      "🔐 Проверка честности розыгрыша №7\nХэш ключа (SHA-256): " +
      draw.commitment + "\nХэш списка участников: " + draw.entries_hash +
      "\nКлюч: " + std::string(kSeed) + "\nПубличное значение: " + std::string(kPublicValue) +
      "\nПропущенные позиции (неактивны или уже выиграли): 0\n"
      "Выигравшие счета по порядку розыгрыша: " +
      draw.winner_accounts[0] + ", " + draw.winner_accounts[1] + ", " + draw.winner_accounts[2] +
      "\n";
  write_file(directory_ / "lottery-7-entries.csv", draw.entries_csv);
  browser_.open(page());
  browser_.evaluate(
      "document.querySelector('#post').value = " + json::serialize(json::value(post)) + "; true");
  browser_.set_input_files("#entries-file", {(directory_ / "lottery-7-entries.csv").string()});
  browser_.evaluate("window.lotteryVerifier.run()");
  EXPECT_EQ(verdicts(), all_ok_);
  EXPECT_EQ(computed_winners(), draw.winners);
}

TEST_F(VerifierPage, AChangedLineAWrongSeedAndSwappedWinnersAreEachCaught) {
  const Vector draw = doc_vector("Expected (the output of `verify_draw.py`):", {0});
  std::string tampered = draw.entries_csv;
  tampered.replace(tampered.find("20-20-20-20-20-20-20"), 20, "20-20-20-20-20-20-21");
  auto list = verify_published(draw_json(draw), tampered);
  EXPECT_EQ(list["entries"], "fail");
  EXPECT_EQ(list["result"], "fail");

  json::object wrong_seed = draw_json(draw);
  wrong_seed["seed"] = "ff" + std::string(kSeed.substr(2));
  auto seed = verify_published(wrong_seed, draw.entries_csv);
  EXPECT_EQ(seed["commitment"], "fail");
  EXPECT_EQ(seed["result"], "fail");

  json::object swapped = draw_json(draw);
  auto& winners = swapped["winners"].as_array();
  std::swap(winners[0], winners[1]);
  auto swapped_verdicts = verify_published(swapped, draw.entries_csv);
  EXPECT_EQ(swapped_verdicts["commitment"], "ok");
  EXPECT_EQ(swapped_verdicts["entries"], "ok");
  EXPECT_EQ(swapped_verdicts["winners"], "fail");
  EXPECT_EQ(swapped_verdicts["result"], "fail");
}

// A long list is hashed in a Web Worker (the page stays usable meanwhile), and the
// browser's chain over 300,000 entries equals OpenSSL's.
TEST_F(VerifierPage, ALongListIsCheckedInAWorker) {
  constexpr int kEntries = 300'000;
  std::string csv = "ordinal,account_number\n";
  std::array<unsigned char, SHA256_DIGEST_LENGTH> chain{};
  for (int ordinal = 0; ordinal < kEntries; ++ordinal) {
    char number[21];
    std::snprintf(number, sizeof number, "10-%02d-%02d-%02d-%02d-%02d-%02d",
                  ordinal / 100'000 % 100, ordinal / 10'000 % 10, ordinal / 1'000 % 10,
                  ordinal / 100 % 10, ordinal / 10 % 10, ordinal % 10);
    csv += std::to_string(ordinal) + "," + number + "\n";
    std::array<unsigned char, SHA256_DIGEST_LENGTH + 8 + 20> input{};
    std::copy(chain.begin(), chain.end(), input.begin());
    for (int byte = 0; byte < 8; ++byte) {
      input[SHA256_DIGEST_LENGTH + static_cast<std::size_t>(byte)] =
          static_cast<unsigned char>(static_cast<std::uint64_t>(ordinal) >> (56 - 8 * byte));
    }
    std::copy(number, number + 20, input.begin() + SHA256_DIGEST_LENGTH + 8);
    SHA256(input.data(), input.size(), chain.data());
  }
  std::string entries_hash;
  for (const unsigned char byte : chain) {
    constexpr char kHex[] = "0123456789abcdef";
    entries_hash += kHex[byte >> 4];
    entries_hash += kHex[byte & 0x0f];
  }
  Vector vector = doc_vector("Expected (the output of `verify_draw.py`):", {});
  vector.entries_hash = entries_hash;
  json::object draw = draw_json(vector);
  draw["entry_count"] = kEntries;
  const auto states = verify_published(draw, csv);
  EXPECT_EQ(states.at("entries"), "ok");
  EXPECT_EQ(states.at("commitment"), "ok");
  EXPECT_EQ(browser_.evaluate("window.lotteryVerification.then(r => r.engine)"), "worker");
}

}  // namespace
}  // namespace lottery::testing
