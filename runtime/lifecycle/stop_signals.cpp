// Signal handlers (see stop_signals.hpp). Only async-signal-safe calls in the
// handler: atomics on lock-free ints, write(2) and _exit(2).
#include "runtime/lifecycle/stop_signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

#include "runtime/lifecycle/exit_status.hpp"

namespace rtfeat {

namespace {

std::atomic<int> first_signal{0};
std::atomic<int> signal_count{0};
std::atomic<bool> watchdog_listening{false};
int pipe_fds[2] = {-1, -1};

void say(const char* text) {
  auto n = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)n;  // nothing to do about a failed write in a handler
}

void on_stop_signal(int signo) {
  int expected = 0;
  first_signal.compare_exchange_strong(expected, signo);
  int n = ++signal_count;
  if (pipe_fds[1] >= 0) {
    auto byte = static_cast<char>(signo);
    auto w = ::write(pipe_fds[1], &byte, 1);
    (void)w;  // a full pipe already holds enough wake-ups
  }
  if (n >= 3 || (n == 2 && !watchdog_listening.load())) {
    say("rtfeat: second stop signal: exiting at once (nothing more is flushed, no final checkpoint)\n");
    ::_exit(exit_code_for_second_signal(signo));
  }
}

}  // namespace

void ignore_sigpipe() { std::signal(SIGPIPE, SIG_IGN); }

void install_stop_signals() {
  static const bool installed = [] {
    if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) pipe_fds[0] = pipe_fds[1] = -1;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    return true;
  }();
  (void)installed;
}

int stop_signal() { return first_signal.load(); }
int stop_signal_count() { return signal_count.load(); }
int stop_signal_fd() { return pipe_fds[0]; }
void set_watchdog_listening(bool listening) { watchdog_listening = listening; }

}  // namespace rtfeat
