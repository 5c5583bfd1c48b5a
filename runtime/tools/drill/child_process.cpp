// fork/exec of the drill's children (see child_process.hpp). Between fork and
// exec the child only makes async-signal-safe calls: the drill has librdkafka
// threads, and a forked copy of a multi-threaded process may hold their locks.
#include "runtime/tools/drill/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace rtfeat {

namespace {

[[noreturn]] void exec_child(char* const* argv, int log_fd, int error_fd, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the drill died before prctl
  ::setpgid(0, 0);
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  ::execv(argv[0], argv);
  int e = errno;
  ssize_t ignored = ::write(error_fd, &e, sizeof e);
  (void)ignored;
  ::_exit(127);
}

}  // namespace

std::string exit_status::describe() const {
  if (signal != 0) {
    const char* name = ::sigabbrev_np(signal);
    return std::string("killed by ")
           + (name ? std::string("SIG") + name : "signal " + std::to_string(signal));
  }
  return "exit code " + std::to_string(code);
}

std::unique_ptr<child_process> child_process::start(const std::vector<std::string>& argv,
                                                    const std::string& log_path,
                                                    std::string& error) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return error = "cannot open " + log_path + ": " + std::strerror(errno), nullptr;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ::close(log_fd);
    return error = std::string("pipe: ") + std::strerror(errno), nullptr;
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) exec_child(args.data(), log_fd, pipe_fds[1], parent);
  int fork_errno = errno;
  ::close(log_fd);
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    return error = std::string("fork: ") + std::strerror(fork_errno), nullptr;
  }
  // The pipe closes on a successful exec (CLOEXEC) with nothing in it, else carries errno.
  int exec_errno = 0;
  ssize_t n;
  while ((n = ::read(pipe_fds[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  ::close(pipe_fds[0]);
  std::unique_ptr<child_process> child(new child_process(pid, log_path));
  if (n > 0) {
    child->kill();
    return error = "cannot run " + argv[0] + ": " + std::strerror(exec_errno), nullptr;
  }
  return child;
}

child_process::~child_process() { kill(); }

void child_process::reap(int wait_status) {
  exit_status s;
  if (WIFEXITED(wait_status)) s.code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) s.signal = WTERMSIG(wait_status);
  status_ = s;
}

bool child_process::running() {
  if (status_) return false;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) reap(st);
  return !status_;
}

void child_process::kill() {
  if (status_) return;
  ::kill(pid_, SIGKILL);
  int st = 0;
  while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  reap(st);
}

std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate;
    start = end + 1;
  }
  return "";
}

std::string self_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "/proc/self/exe" : p.string();
}

}  // namespace rtfeat
