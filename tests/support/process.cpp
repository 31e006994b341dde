#include "process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lottery::testing {
namespace {

// The child's environment: ours with the changes applied.
std::vector<std::string> child_environment(const EnvironmentChanges& changes) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals != std::string::npos) variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : changes) {
    if (value) {
      variables[name] = *value;
    } else {
      variables.erase(name);
    }
  }
  std::vector<std::string> result;
  result.reserve(variables.size());
  for (const auto& [name, value] : variables) {
    std::string variable = name;
    variable += '=';
    variable += value;
    result.push_back(std::move(variable));
  }
  return result;
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv,
                             const std::vector<std::string>& environment) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  env.reserve(environment.size() + 1);
  for (const auto& variable : environment) env.push_back(const_cast<char*>(variable.c_str()));
  env.push_back(nullptr);
  ::execve(args[0], args.data(), env.data());
  ::_exit(127);
}

int wait_for(pid_t child) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads the given descriptors until each reaches its end, or the time runs out.
bool drain(std::vector<std::pair<int, std::string*>> sources, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!sources.empty()) {
    std::vector<pollfd> polls;
    polls.reserve(sources.size());
    for (const auto& [fd, sink] : sources) polls.push_back(pollfd{fd, POLLIN, 0});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const int ready = ::poll(polls.data(), polls.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    for (std::size_t i = polls.size(); i-- > 0;) {
      if (polls[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t got = ::read(polls[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sources[i].second->append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {  // end of file, or EIO from a closed pty
        ::close(polls[i].fd);
        sources.erase(sources.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  return true;
}

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t wrote = ::write(fd, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return;  // the child stopped reading: fine
    done += static_cast<std::size_t>(wrote);
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const EnvironmentChanges& environment, const std::string& input,
                          std::chrono::seconds limit) {
  int in[2];
  int out[2];
  int err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const auto env = child_environment(environment);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    exec_child(argv, env);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::signal(SIGPIPE, SIG_IGN);
  write_all(in[1], input);
  ::close(in[1]);
  ProcessResult result;
  if (!drain({{out[0], &result.out}, {err[0], &result.err}}, limit)) {
    ::kill(child, SIGKILL);
    ADD_FAILURE() << argv[0] << " did not finish within " << limit.count() << " s";
  }
  result.exit_code = wait_for(child);
  return result;
}

ProcessResult run_in_terminal(const std::vector<std::string>& argv,
                              const EnvironmentChanges& environment, const std::string& input,
                              std::chrono::seconds limit) {
  const auto env = child_environment(environment);
  int terminal = -1;
  const pid_t child = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (child < 0) throw std::runtime_error("forkpty failed");
  if (child == 0) exec_child(argv, env);
  // Typed ahead: the terminal keeps it until the program reads its line.
  write_all(terminal, input);
  ProcessResult result;
  if (!drain({{terminal, &result.out}}, limit)) {
    ::kill(child, SIGKILL);
    ADD_FAILURE() << argv[0] << " did not finish within " << limit.count() << " s";
  }
  result.exit_code = wait_for(child);
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const EnvironmentChanges& environment, const std::string& log_path)
    : log_path_(log_path) {
  const auto env = child_environment(environment);
  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error("cannot open " + log_path);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    exec_child(argv, env);
  }
  ::close(log);
  pid_ = child;
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    (void)wait(std::chrono::seconds{10});
  }
}

void ChildProcess::signal(int number) const { ::kill(pid_, number); }

std::optional<int> ChildProcess::wait(std::chrono::milliseconds limit) {
  if (exit_code_) return exit_code_;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Polling a child's exit: there is no descriptor to wait on for it here.
    ::usleep(10000);
  }
}

bool ChildProcess::running() { return !wait(std::chrono::milliseconds{0}).has_value(); }

std::string ChildProcess::log() const {
  std::string content;
  const int fd = ::open(log_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return content;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
    content.append(buffer, static_cast<std::size_t>(got));
  ::close(fd);
  return content;
}

}  // namespace lottery::testing
