#pragma once

// Runs an executable of ours as a child process, for end-to-end tests.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lottery::testing {

struct ProcessResult {
  int exit_code{-1};  // the exit status, or 128 + signal
  std::string out;
  std::string err;  // empty when run in a terminal (it shares the terminal with out)
};

// Environment changes for the child: a value sets the variable, nullopt removes it.
using EnvironmentChanges = std::map<std::string, std::optional<std::string>>;

// Runs `argv` (argv[0] a path) with `input` on its standard input (then closed) and
// collects what it writes. A child still running after `limit` is killed and the
// test fails.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const EnvironmentChanges& environment = {}, const std::string& input = {},
                          std::chrono::seconds limit = std::chrono::seconds{60});

// The same with a pseudo-terminal as standard input and output, as a person at a
// terminal would run it; `input` is typed into it.
ProcessResult run_in_terminal(const std::vector<std::string>& argv,
                              const EnvironmentChanges& environment, const std::string& input,
                              std::chrono::seconds limit = std::chrono::seconds{60});

// A long-running child (the bot) whose standard output and error go to a log file.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const EnvironmentChanges& environment,
               const std::string& log_path);
  ~ChildProcess();  // kills a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int number) const;
  // Waits for the child to end, at most `limit`; its exit code (128 + signal), or
  // nothing if it is still running.
  std::optional<int> wait(std::chrono::milliseconds limit);
  [[nodiscard]] bool running();
  [[nodiscard]] std::string log() const;
  [[nodiscard]] int pid() const { return pid_; }

 private:
  int pid_{-1};
  std::optional<int> exit_code_;
  std::string log_path_;
};

}  // namespace lottery::testing
