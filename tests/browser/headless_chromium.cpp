#include "headless_chromium.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

namespace lottery::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
namespace websocket = boost::beast::websocket;
using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Chromium starts in well under a second here; the margin is for loaded CI machines.
constexpr std::chrono::seconds kStartLimit{30};
// For the commands that only touch the DOM or take a picture.
constexpr std::chrono::seconds kCommandLimit{30};
// Chromium writes a lot of harmless noise (no D-Bus in containers); only the end
// matters to explain a failure, and the buffer must not grow for the whole run.
constexpr std::size_t kLogLimit = 64 * 1024;
// How much of the log goes into an exception's message.
constexpr std::size_t kLogExcerpt = 4 * 1024;
// A screenshot arrives as one base64 message: 20 MiB for a PNG of 1800 x 2800 noise.
constexpr std::size_t kMessageLimit = 64 * 1024 * 1024;
// Events nobody waits for (Page.frameNavigated and the like) are dropped beyond this.
constexpr std::size_t kEventLimit = 1024;
constexpr std::string_view kListeningPrefix = "DevTools listening on ";

bool is_text(const json::value* value, std::string_view text) {
  return value != nullptr && value->is_string() && value->get_string() == text;
}

std::string last_part(const std::string& text, std::size_t size) {
  return text.size() <= size ? text : text.substr(text.size() - size);
}

std::string with_log(const std::string& message, const std::string& log) {
  return message + "\n--- end of chromium's output ---\n" + last_part(log, kLogExcerpt);
}

// A fresh profile, so that tests share no cookies, storage or cache, and removed
// with everything chromium wrote into it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string name =
        (std::filesystem::temp_directory_path() / "headless-chromium-XXXXXX").string();
    if (::mkdtemp(name.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + name);
    }
    path_ = name;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<std::string> chromium_arguments(const std::string& executable,
                                            const std::filesystem::path& profile) {
  return {
      executable,
      "--headless=new",
      // Chromium refuses to run as root, as tests in containers do, with its sandbox.
      "--no-sandbox",
      "--disable-gpu",
      // Port 0: the system picks a free one, so parallel tests never collide.
      "--remote-debugging-port=0",
      "--user-data-dir=" + profile.string(),
      // Our pages are files that load the files next to them.
      "--allow-file-access-from-files",
      "--no-first-run",
      "--disable-extensions",
      "--disable-background-networking",
      // Docker gives /dev/shm 64 MiB, too little for rendering. Debian's wrapper means
      // to add this flag then, but its test breaks when /dev/shm has several mounts.
      "--disable-dev-shm-usage",
      "about:blank",
  };
}

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void become_chromium(const std::vector<char*>& argv, int output, pid_t parent) {
  // Its own process group, so that we can kill its helper processes along with it.
  ::setpgid(0, 0);
  // A test that crashes or is killed must not leave a browser running.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  const int nothing = ::open("/dev/null", O_RDONLY);
  ::dup2(nothing, STDIN_FILENO);
  ::dup2(output, STDOUT_FILENO);
  ::dup2(output, STDERR_FILENO);
  ::execv(argv[0], argv.data());
  // Into the log, which is all the parent reports.
  constexpr std::string_view kFailure = "cannot execute ";
  (void)!::write(STDERR_FILENO, kFailure.data(), kFailure.size());
  (void)!::write(STDERR_FILENO, argv[0], std::strlen(argv[0]));
  ::_exit(127);
}

// Whether `child` ended within `limit`. It stays a zombie, so that its process
// group id cannot be reused before we kill what is left of the group.
bool ended_within(pid_t child, std::chrono::milliseconds limit) {
  const Deadline deadline = Clock::now() + limit;
  while (true) {
    siginfo_t information{};
    const int result =
        ::waitid(P_PID, static_cast<id_t>(child), &information, WEXITED | WNOHANG | WNOWAIT);
    if (result == 0 && information.si_pid == child) return true;
    if (result != 0 && errno != EINTR) return true;  // not our child any more
    if (Clock::now() >= deadline) return false;
    // There is no descriptor to wait on for a child's end here.
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

}  // namespace

// Chromium as a child process with its output drained into a bounded log.
class HeadlessChromium::Process {
 public:
  explicit Process(const std::string& executable);
  ~Process() { stop(std::chrono::milliseconds{0}); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // The browser's DevTools address once chromium prints it. Throws with the log when
  // chromium ends or the deadline passes before that.
  std::string wait_for_devtools_url(Deadline deadline);
  // Gives chromium `grace` to end by itself, then terminates it and its helpers.
  void stop(std::chrono::milliseconds grace) noexcept;
  [[nodiscard]] std::string log() const;

 private:
  void drain(const std::stop_token& stop);
  void take(std::string_view text);

  TemporaryDirectory profile_;
  pid_t pid_{-1};
  int output_{-1};
  bool stopped_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  std::string line_;
  std::string devtools_url_;
  bool output_ended_{false};
  // Last, so that it starts after everything it uses exists.
  std::jthread drainer_;
};

HeadlessChromium::Process::Process(const std::string& executable) {
  const auto arguments = chromium_arguments(executable, profile_.path());
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  std::array<int, 2> pipe_ends{};
  if (::pipe2(pipe_ends.data(), O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) become_chromium(argv, pipe_ends[1], parent);
  const int fork_error = errno;
  ::close(pipe_ends[1]);
  if (pid_ < 0) {
    ::close(pipe_ends[0]);
    throw std::system_error(fork_error, std::generic_category(), "fork");
  }
  // Also here, so that the group exists even before the child gets to run.
  ::setpgid(pid_, pid_);
  output_ = pipe_ends[0];
  drainer_ = std::jthread([this](const std::stop_token& stop) { drain(stop); });
}

std::string HeadlessChromium::Process::wait_for_devtools_url(Deadline deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [this] { return !devtools_url_.empty() || output_ended_; });
  if (!devtools_url_.empty()) return devtools_url_;
  const std::string problem = output_ended_
                                  ? "chromium ended before it announced its DevTools address"
                                  : "chromium did not announce its DevTools address in time";
  throw std::runtime_error(with_log(problem, log_));
}

void HeadlessChromium::Process::stop(std::chrono::milliseconds grace) noexcept {
  if (stopped_) return;
  stopped_ = true;
  if (!ended_within(pid_, grace)) {
    ::kill(-pid_, SIGTERM);
    if (!ended_within(pid_, std::chrono::seconds{5})) ::kill(-pid_, SIGKILL);
  }
  // Helpers (renderer, zygote) that outlived the browser are in its group.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  drainer_.request_stop();
  if (drainer_.joinable()) drainer_.join();
  ::close(output_);
}

std::string HeadlessChromium::Process::log() const {
  const std::lock_guard lock(mutex_);
  return log_;
}

void HeadlessChromium::Process::drain(const std::stop_token& stop) {
  std::array<char, 4096> buffer{};
  while (!stop.stop_requested()) {
    // A short poll, so that a stop request is seen even while chromium is silent.
    pollfd readable{output_, POLLIN, 0};
    const int ready = ::poll(&readable, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t got = ::read(output_, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    take(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  {
    const std::lock_guard lock(mutex_);
    output_ended_ = true;
  }
  changed_.notify_all();
}

void HeadlessChromium::Process::take(std::string_view text) {
  {
    const std::lock_guard lock(mutex_);
    log_.append(text);
    if (log_.size() > kLogLimit) log_.erase(0, log_.size() - kLogLimit);
    line_.append(text);
    std::size_t end = 0;
    while ((end = line_.find('\n')) != std::string::npos) {
      const std::string_view line(line_.data(), end);
      if (devtools_url_.empty() && line.starts_with(kListeningPrefix)) {
        devtools_url_ = line.substr(kListeningPrefix.size());
      }
      line_.erase(0, end + 1);
    }
    // A line that long is no DevTools announcement.
    if (line_.size() > 4096) line_.clear();
  }
  changed_.notify_all();
}

namespace {

// Where a ws://host:port/path address points.
struct WebSocketAddress {
  std::string host;  // with the port, as the Host header wants it
  std::uint16_t port{0};
  std::string path;
};

WebSocketAddress parse_websocket_url(const std::string& url) {
  constexpr std::string_view kScheme = "ws://";
  const auto slash = url.find('/', kScheme.size());
  const auto colon = url.rfind(':', slash);
  if (!url.starts_with(kScheme) || slash == std::string::npos || colon == std::string::npos ||
      colon < kScheme.size()) {
    throw std::runtime_error("unexpected DevTools address: " + url);
  }
  WebSocketAddress address;
  address.host = url.substr(kScheme.size(), slash - kScheme.size());
  address.path = url.substr(slash);
  const auto [end, error] =
      std::from_chars(url.data() + colon + 1, url.data() + slash, address.port);
  if (error != std::errc{} || end != url.data() + slash) {
    throw std::runtime_error("unexpected DevTools address: " + url);
  }
  return address;
}

// Runs one asynchronous operation to its end. The stream's expiry, set by the
// caller, closes the socket when the deadline passes, so this never hangs.
template <typename Start>
boost::system::error_code complete(asio::io_context& context, Start&& start) {
  boost::system::error_code result = asio::error::would_block;
  std::forward<Start>(start)(
      [&result](boost::system::error_code error, auto&&...) { result = error; });
  context.restart();
  context.run();
  return result;
}

void check(boost::system::error_code error, const std::string& what) {
  if (error == beast::error::timeout) throw std::runtime_error(what + ": timed out");
  if (error) throw std::runtime_error(what + ": " + error.message());
}

asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::address_v4::loopback(), port};
}

// GET /json/list: the targets, of which the tab has type "page".
json::value list_targets(const WebSocketAddress& browser, Deadline deadline) {
  asio::io_context context;
  beast::tcp_stream stream(context);
  stream.expires_at(deadline);
  check(complete(context,
                 [&](auto handler) {
                   stream.async_connect(loopback(browser.port), std::move(handler));
                 }),
        "connecting to chromium");
  http::request<http::empty_body> request{http::verb::get, "/json/list", 11};
  // Chromium refuses a Host header that is not an IP address or localhost.
  request.set(http::field::host, browser.host);
  check(complete(context,
                 [&](auto handler) { http::async_write(stream, request, std::move(handler)); }),
        "asking chromium for its targets");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  check(
      complete(context,
               [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); }),
      "reading chromium's targets");
  boost::system::error_code error;
  json::value targets = json::parse(parser.get().body(), error);
  if (error) throw std::runtime_error("chromium's target list is not JSON: " + parser.get().body());
  return targets;
}

// The tab's DevTools address. The tab may appear a moment after the browser
// announces itself, so this asks again until it is there.
std::string page_websocket_url(const WebSocketAddress& browser, Deadline deadline) {
  while (true) {
    const json::value targets = list_targets(browser, deadline);
    if (const auto* list = targets.if_array()) {
      for (const auto& target : *list) {
        const auto* fields = target.if_object();
        if (fields == nullptr) continue;
        const auto* type = fields->if_contains("type");
        const auto* url = fields->if_contains("webSocketDebuggerUrl");
        if (is_text(type, "page") && url != nullptr && url->is_string()) {
          return std::string(url->get_string());
        }
      }
    }
    if (Clock::now() >= deadline) throw std::runtime_error("chromium has no tab to connect to");
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
}

std::string error_text(const json::value& error) {
  const auto* fields = error.if_object();
  if (fields == nullptr) return json::serialize(error);
  std::string text;
  if (const auto* message = fields->if_contains("message"); message && message->is_string()) {
    text = message->get_string();
  }
  if (const auto* data = fields->if_contains("data"); data && data->is_string()) {
    text += std::string(" (") + data->get_string().c_str() + ")";
  }
  return text.empty() ? json::serialize(error) : text;
}

}  // namespace

// The WebSocket connection to the tab: commands, their replies and events.
class HeadlessChromium::Session {
 public:
  Session(const WebSocketAddress& page, Deadline deadline);

  // Sends a command and returns its result; throws on an error reply.
  json::object call(std::string_view method, json::object parameters, Deadline deadline);
  // The parameters of the first event named `method`, kept earlier or arriving now.
  json::object wait_for_event(std::string_view method, Deadline deadline);
  // Drops the events kept so far, so that a wait sees only what happens next.
  void forget_events() { events_.clear(); }
  // Asks chromium to quit; whether it took the request.
  bool close_browser() noexcept;

 private:
  void send(const json::object& message, Deadline deadline);
  json::object receive(Deadline deadline);
  void keep_event(json::object event);
  template <typename Start>
  void run(Deadline deadline, const std::string& what, Start&& start);

  asio::io_context context_;
  websocket::stream<beast::tcp_stream> socket_{context_};
  std::int64_t last_id_{0};
  std::deque<json::object> events_;
  bool broken_{false};
};

template <typename Start>
void HeadlessChromium::Session::run(Deadline deadline, const std::string& what, Start&& start) {
  if (broken_) throw std::runtime_error(what + ": the connection to chromium was lost earlier");
  beast::get_lowest_layer(socket_).expires_at(deadline);
  const auto error = complete(context_, std::forward<Start>(start));
  // A timed-out operation closed the socket, and a WebSocket cut mid-message cannot
  // be resumed anyway.
  if (error) broken_ = true;
  check(error, what);
}

HeadlessChromium::Session::Session(const WebSocketAddress& page, Deadline deadline) {
  run(deadline, "connecting to the tab", [&](auto handler) {
    beast::get_lowest_layer(socket_).async_connect(loopback(page.port), std::move(handler));
  });
  // The stream's expiry bounds every operation; the WebSocket's own timers would
  // only add idle pings.
  socket_.set_option(websocket::stream_base::timeout{websocket::stream_base::none(),
                                                     websocket::stream_base::none(), false});
  socket_.read_message_max(kMessageLimit);
  run(deadline, "opening the DevTools WebSocket",
      [&](auto handler) { socket_.async_handshake(page.host, page.path, std::move(handler)); });
  socket_.text(true);
}

void HeadlessChromium::Session::send(const json::object& message, Deadline deadline) {
  const std::string text = json::serialize(message);
  run(deadline, "sending to chromium",
      [&](auto handler) { socket_.async_write(asio::buffer(text), std::move(handler)); });
}

json::object HeadlessChromium::Session::receive(Deadline deadline) {
  beast::flat_buffer buffer;
  run(deadline, "waiting for chromium",
      [&](auto handler) { socket_.async_read(buffer, std::move(handler)); });
  const std::string_view text(static_cast<const char*>(buffer.data().data()), buffer.size());
  boost::system::error_code error;
  json::value message = json::parse(text, error);
  if (error || !message.is_object()) {
    throw std::runtime_error("chromium sent what is not a JSON object: " +
                             std::string(text.substr(0, 200)));
  }
  return std::move(message.get_object());
}

void HeadlessChromium::Session::keep_event(json::object event) {
  events_.push_back(std::move(event));
  if (events_.size() > kEventLimit) events_.pop_front();
}

json::object HeadlessChromium::Session::call(std::string_view method, json::object parameters,
                                             Deadline deadline) {
  const std::int64_t id = ++last_id_;
  send(json::object{{"id", id}, {"method", method}, {"params", std::move(parameters)}}, deadline);
  while (true) {
    json::object message = receive(deadline);
    if (message.contains("method")) {
      keep_event(std::move(message));
      continue;
    }
    const auto* reply_to = message.if_contains("id");
    if (reply_to == nullptr || !reply_to->is_int64() || reply_to->get_int64() != id) continue;
    if (const auto* error = message.if_contains("error")) {
      throw std::runtime_error(std::string(method) + " failed: " + error_text(*error));
    }
    auto* result = message.if_contains("result");
    if (result == nullptr || !result->is_object()) return {};
    return std::move(result->get_object());
  }
}

json::object HeadlessChromium::Session::wait_for_event(std::string_view method, Deadline deadline) {
  const auto parameters_of = [](json::object& event) {
    auto* parameters = event.if_contains("params");
    return parameters != nullptr && parameters->is_object() ? std::move(parameters->get_object())
                                                            : json::object{};
  };
  for (auto kept = events_.begin(); kept != events_.end(); ++kept) {
    if (!is_text(kept->if_contains("method"), method)) continue;
    json::object event = std::move(*kept);
    events_.erase(kept);
    return parameters_of(event);
  }
  while (true) {
    json::object message = receive(deadline);
    const auto* name = message.if_contains("method");
    if (name == nullptr) continue;  // a reply to a command given up on
    if (is_text(name, method)) return parameters_of(message);
    keep_event(std::move(message));
  }
}

bool HeadlessChromium::Session::close_browser() noexcept {
  if (broken_) return false;
  try {
    (void)call("Browser.close", {}, Clock::now() + std::chrono::seconds{5});
  } catch (const std::exception&) {
    // Chromium may drop the connection before it replies; it is quitting all the same.
  }
  return true;
}

namespace {

std::string decode_base64(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char character : text) {
    if (character == '=') break;
    const auto value = kAlphabet.find(character);
    if (value == std::string_view::npos) throw std::runtime_error("malformed base64 from chromium");
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return bytes;
}

std::int64_t integer_at(const json::object& object, std::string_view key, std::string_view what) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64()) {
    throw std::runtime_error(std::string(what) + ": chromium's reply lacks " + std::string(key));
  }
  return value->get_int64();
}

// What a thrown value says: an Error's message and stack, or the value itself.
std::string exception_text(const json::value& details) {
  const auto* fields = details.if_object();
  if (fields == nullptr) return json::serialize(details);
  if (const auto* thrown = fields->if_contains("exception"); thrown && thrown->is_object()) {
    const auto& exception = thrown->get_object();
    if (const auto* description = exception.if_contains("description");
        description && description->is_string()) {
      return std::string(description->get_string());
    }
    if (const auto* value = exception.if_contains("value")) return json::serialize(*value);
  }
  return json::serialize(details);
}

}  // namespace

HeadlessChromium::HeadlessChromium(const std::string& executable)
    : process_(std::make_unique<Process>(executable)) {
  const Deadline deadline = Clock::now() + kStartLimit;
  const std::string browser_url = process_->wait_for_devtools_url(deadline);
  try {
    const auto page =
        parse_websocket_url(page_websocket_url(parse_websocket_url(browser_url), deadline));
    session_ = std::make_unique<Session>(page, deadline);
    // Without it no Page.loadEventFired arrives for open to wait on.
    (void)session_->call("Page.enable", {}, deadline);
  } catch (const std::exception& error) {
    throw std::runtime_error(
        with_log(std::string("cannot drive chromium: ") + error.what(), log()));
  }
}

HeadlessChromium::~HeadlessChromium() {
  const bool closing = session_ != nullptr && session_->close_browser();
  session_.reset();
  // A browser that took Browser.close quits within a second; others get no time.
  process_->stop(closing ? std::chrono::seconds{5} : std::chrono::seconds{0});
}

void HeadlessChromium::open(const std::string& url, std::chrono::seconds timeout) {
  const Deadline deadline = Clock::now() + timeout;
  // A load event from an earlier page must not count for this one.
  session_->forget_events();
  const auto result = session_->call("Page.navigate", {{"url", url}}, deadline);
  if (const auto* error = result.if_contains("errorText"); error && error->is_string()) {
    throw std::runtime_error("cannot open " + url + ": " + std::string(error->get_string()));
  }
  (void)session_->wait_for_event("Page.loadEventFired", deadline);
}

json::value HeadlessChromium::evaluate(const std::string& expression,
                                       std::chrono::seconds timeout) {
  const auto reply =
      session_->call("Runtime.evaluate",
                     {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}},
                     Clock::now() + timeout);
  if (const auto* details = reply.if_contains("exceptionDetails")) {
    throw std::runtime_error("JavaScript threw: " + exception_text(*details));
  }
  const auto* result = reply.if_contains("result");
  if (result == nullptr || !result->is_object()) return nullptr;
  const auto& fields = result->get_object();
  if (const auto* value = fields.if_contains("value")) return *value;
  // What JSON cannot hold: NaN, Infinity, -0, BigInt.
  if (const auto* text = fields.if_contains("unserializableValue")) return *text;
  return nullptr;
}

void HeadlessChromium::set_input_files(const std::string& selector,
                                       const std::vector<std::string>& paths) {
  const Deadline deadline = Clock::now() + kCommandLimit;
  json::array files;
  for (const auto& path : paths) {
    // Chromium takes any path silently; a missing file would only show as an empty one.
    const auto absolute = std::filesystem::absolute(path);
    if (!std::filesystem::is_regular_file(absolute)) {
      throw std::runtime_error("no file to choose at " + absolute.string());
    }
    files.emplace_back(absolute.string());
  }
  const auto document = session_->call("DOM.getDocument", {{"depth", 0}}, deadline);
  const auto* root = document.if_contains("root");
  if (root == nullptr || !root->is_object()) throw std::runtime_error("DOM.getDocument: no root");
  const auto root_id = integer_at(root->get_object(), "nodeId", "DOM.getDocument");
  const auto found =
      session_->call("DOM.querySelector", {{"nodeId", root_id}, {"selector", selector}}, deadline);
  const auto node_id = integer_at(found, "nodeId", "DOM.querySelector");
  if (node_id == 0) throw std::runtime_error("no element matches " + selector);
  // Chromium fires 'input' and 'change' itself, as for a choice in the file dialog.
  (void)session_->call("DOM.setFileInputFiles", {{"files", std::move(files)}, {"nodeId", node_id}},
                       deadline);
}

void HeadlessChromium::screenshot(const std::string& path, int width, int height) {
  const Deadline deadline = Clock::now() + kCommandLimit;
  (void)session_->call(
      "Emulation.setDeviceMetricsOverride",
      {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}},
      deadline);
  const auto reply = session_->call("Page.captureScreenshot", {{"format", "png"}}, deadline);
  const auto* data = reply.if_contains("data");
  if (data == nullptr || !data->is_string()) throw std::runtime_error("screenshot without data");
  const std::string png = decode_base64(data->get_string());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(png.data(), static_cast<std::streamsize>(png.size()));
  file.close();
  if (!file) throw std::runtime_error("cannot write the screenshot to " + path);
}

std::string HeadlessChromium::log() const { return process_->log(); }

}  // namespace lottery::testing
