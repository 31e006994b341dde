// Every lotteryctl example of the admin docs, run as written.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lotteryctl_support.hpp"

namespace lottery::testing {
namespace {

// Every `lotteryctl …` in a code block or code span of these files.
const std::vector<std::string> kDocumentsWithExamples{
    "README.md",          "docs/QUICK_GUIDE.md", "docs/ADMIN_COMMANDS.md", "docs/CLEAR_DATABASE.md",
    "docs/DEPLOYMENT.md", "docs/UPDATE_LOG.md"};

std::vector<std::string> documented_examples() {
  std::vector<std::string> examples;
  for (const auto& name : kDocumentsWithExamples) {
    std::ifstream file(std::string(LOTTERY_SOURCE_DIR) + "/" + name);
    EXPECT_TRUE(file) << name;
    std::string line;
    while (std::getline(file, line)) {
      std::vector<std::string> spans;
      if (line.rfind("    ", 0) == 0) {
        spans.push_back(line.substr(0, line.find('#')));  // a code block; comments dropped
      } else {
        for (std::size_t open = line.find('`'); open != std::string::npos;) {
          const std::size_t close = line.find('`', open + 1);
          if (close == std::string::npos) break;
          spans.push_back(line.substr(open + 1, close - open - 1));
          open = line.find('`', close + 1);
        }
      }
      for (const auto& span : spans) {
        const auto at = span.find("lotteryctl ");
        if (at == std::string::npos) continue;
        // lotteryctl must be the command run ("build/bin/lotteryctl", "sudo -u USER
        // lotteryctl"), not a word in another command or in a quoted message.
        std::string before = span.substr(0, at);
        if (before.ends_with("build/bin/")) before.erase(before.size() - 10);
        before.erase(0, before.find_first_not_of(' '));
        if (!before.empty() && !before.starts_with("sudo -u ")) continue;
        std::string example = span.substr(at);
        example.erase(example.find_last_not_of(' ') + 1);
        examples.push_back(example);
      }
    }
  }
  return examples;
}

// The words as a shell splits them ('single quotes' keep spaces).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  bool in_word = false;
  for (const char c : text) {
    if (c == '\'') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// Each way to write the example: "a|b" gives both, "[--csv]" with and without.
std::vector<std::vector<std::string>> variants_of(const std::vector<std::string>& words) {
  std::vector<std::vector<std::string>> variants{{}};
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    std::vector<std::vector<std::string>> choices;
    if (word.front() == '[') {
      std::vector<std::string> optional;
      for (std::size_t j = i;; ++j) {
        std::string part = words[j];
        const bool last = part.back() == ']';
        if (part.front() == '[') part.erase(0, 1);
        if (last) part.pop_back();
        optional.push_back(part);
        if (last || j + 1 == words.size()) {
          i = j;
          break;
        }
      }
      choices = {{}, optional};
    } else if (word.find('|') != std::string::npos) {
      std::istringstream alternatives(word);
      for (std::string alternative; std::getline(alternatives, alternative, '|');) {
        choices.push_back({alternative});
      }
    } else {
      choices = {{word}};
    }
    std::vector<std::vector<std::string>> next;
    for (const auto& variant : variants) {
      for (const auto& choice : choices) {
        auto extended = variant;
        extended.insert(extended.end(), choice.begin(), choice.end());
        next.push_back(extended);
      }
    }
    variants = std::move(next);
  }
  return variants;
}

TEST_P(LotteryctlOnDatabase, EveryDocumentedExampleWorksAsWritten) {
  const auto examples = documented_examples();
  ASSERT_GE(examples.size(), 10U);
  const std::string accounts_file =
      "/tmp/lotteryctl-doc-accounts-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(accounts_file) << "club_card,account_number\n2223,70-00-00-00-00-00-01\n"
                                  "70-00-00-00-00-00-02\n";
  std::size_t runs = 0;
  for (const auto& example : examples) {
    for (auto argv : variants_of(words_of(example))) {
      // A fresh database each time: a drawn lottery (#1) and an open one (#2).
      const auto db = database();
      FakeClock clock;
      system::SecureRandom random;
      system::HmacDrawRandomness cryptography;
      const Dependencies deps{*db, clock, random, cryptography, Settings{}};
      std::string lines;
      for (int i = 10; i < 20; ++i) lines += "2223 50-00-00-00-00-00-" + std::to_string(i) + "\n";
      ASSERT_TRUE(RegistrationService(deps).register_user(RegistrationRequest{
          TelegramUserId{1}, "anna", "Анна", ClubCard::parse("2223").value(), std::nullopt}));
      ASSERT_TRUE(AccountService(deps).add_accounts(Requester::system(), lines, std::nullopt));
      LotteryService lotteries(deps);
      const auto drawn = lotteries.create(Requester::system(), "Весна", {{1, "Чайник"}});
      ASSERT_TRUE(lotteries.enrol_all_active(Requester::system(), drawn->id));
      ASSERT_TRUE(lotteries.draw(Requester::system(), drawn->id));
      const auto open = lotteries.create(Requester::system(), "Лето", {{1, "Зонт"}});
      ASSERT_TRUE(open);

      // "sudo -u USER lotteryctl …" runs as this test's user.
      argv.erase(argv.begin(), std::find(argv.begin(), argv.end(), "lotteryctl"));
      const bool importing = std::find(argv.begin(), argv.end(), "import") != argv.end();
      bool in_terminal = false;
      for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string& word = argv[i];
        if (i == 0) word = kLotteryctl;
        if (word == "ID") word = std::to_string((importing ? open : drawn)->id.value());
        if (word.ends_with(".csv")) word = accounts_file;
        // The URL of a database the docs cannot know: this test's.
        if (i > 0 && argv[i - 1] == "--database-url") word = db->url_text();
      }
      in_terminal = std::find(argv.begin(), argv.end(), "clear-db") != argv.end() &&
                    std::find(argv.begin(), argv.end(), "--yes") == argv.end();
      const auto result =
          in_terminal ? run_in_terminal(argv, environment_for(*db), db->url().database_name + "\n")
                      : lotteryctl({argv.begin() + 1, argv.end()}, environment_for(*db));
      EXPECT_EQ(result.exit_code, 0) << example << "\n" << result.out << result.err;
      ++runs;
    }
  }
  EXPECT_GE(runs, examples.size());
  std::remove(accounts_file.c_str());
}

// A draw made with the real cryptography checks out from the database and from the
// published data alone; a changed entry list, seed or public value does not.

}  // namespace
}  // namespace lottery::testing
