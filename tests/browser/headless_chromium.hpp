#pragma once

// Drives Debian's headless Chromium over the Chrome DevTools Protocol, so that tests
// can load a page of ours and assert on the DOM a real browser builds from it.

#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace lottery::testing {

// One browser with a throwaway profile and its first tab. Every call waits for its
// answer for a bounded time. Not thread-safe: use it from one thread, the one that
// created it (chromium is killed when that thread ends, so that a crashed test never
// leaves a browser behind). After a timeout the connection is closed, and further
// calls throw.
class HeadlessChromium {
 public:
  // Starts the browser on about:blank and connects to its tab. Throws
  // std::runtime_error with the end of chromium's output if that takes over 30 s.
  explicit HeadlessChromium(const std::string& executable = "/usr/bin/chromium");
  // Closes the browser, kills whatever of it is left, and removes the profile.
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  // Navigates the tab and waits for the page's load event. A URL that differs from
  // the current one only in its #fragment fires no load event, so it times out.
  void open(const std::string& url, std::chrono::seconds timeout = std::chrono::seconds{30});

  // Runs `expression` in the page, awaits it when it is a promise, and returns its
  // value as JSON: undefined as null, NaN, Infinity, -0 and BigInt as their text.
  // Throws with the exception's description when the script throws or rejects.
  boost::json::value evaluate(const std::string& expression,
                              std::chrono::seconds timeout = std::chrono::seconds{60});

  // Chooses `paths` in the <input type=file> that `selector` finds, as a person
  // does in the file dialog; the page gets its 'input' and 'change' events.
  void set_input_files(const std::string& selector, const std::vector<std::string>& paths);

  // Resizes the viewport to width x height CSS pixels (it stays so afterwards) and
  // writes what it shows to `path` as PNG.
  void screenshot(const std::string& path, int width = 900, int height = 1400);

  // The end of what chromium wrote to its standard output and error, to explain a
  // failure.
  [[nodiscard]] std::string log() const;

 private:
  class Process;
  class Session;

  // Declared in this order so that the connection goes before the process.
  std::unique_ptr<Process> process_;
  std::unique_ptr<Session> session_;
};

}  // namespace lottery::testing
