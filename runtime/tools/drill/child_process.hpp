// One child process of `rtfeat drill` (a node, redis-server, the Kafka mock, the
// oracle): started with fork/exec, its output in a log file, and never outliving
// the drill, whether the drill ends normally, fails, is interrupted or is killed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtfeat {

struct exit_status {
  int code = -1;   // exit code, or -1 when killed by a signal
  int signal = 0;  // the signal that ended it, or 0
  bool ok() const { return code == 0; }
  /// "exit code 1", "killed by SIGKILL"
  std::string describe() const;
};

/// Not thread-safe: one thread starts, polls and kills its children.
class child_process {
public:
  /// Starts argv[0] (a path: no PATH search) with `argv`, stdin from /dev/null and
  /// stdout and stderr appended to `log_path`. The child gets its own process group
  /// (a Ctrl-C in the terminal reaches only the drill, which then ends every child)
  /// and PR_SET_PDEATHSIG = SIGKILL (it dies with the drill, even a SIGKILLed one).
  /// nullptr and `error` when the log cannot be opened or exec fails.
  /// REQUIRES: called from the thread that stays alive while the child runs (the
  /// death signal follows the thread that forked).
  static std::unique_ptr<child_process> start(const std::vector<std::string>& argv,
                                              const std::string& log_path, std::string& error);

  /// SIGKILLs and reaps it when it still runs.
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  /// Does not block: true while it runs; once false, status() says how it ended.
  bool running();
  const std::optional<exit_status>& status() const { return status_; }

  /// SIGKILL, then waits for it. Nothing when it has already ended.
  void kill();

private:
  child_process(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  void reap(int wait_status);

  pid_t pid_;
  std::string log_path_;
  std::optional<exit_status> status_;
};

/// `name` itself when it contains a '/', else the first executable `name` in PATH;
/// empty when there is none.
std::string find_executable(const std::string& name);

/// The running binary (/proc/self/exe resolved), to start `rtfeat` subcommands.
std::string self_executable();

}  // namespace rtfeat
