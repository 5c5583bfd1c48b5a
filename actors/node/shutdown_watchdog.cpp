// Shutdown watchdog (see shutdown_watchdog.hpp).
#include "actors/node/shutdown_watchdog.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "runtime/lifecycle/exit_status.hpp"
#include "runtime/lifecycle/stop_signals.hpp"

namespace rtfeat::node {

namespace {

int64_t steady_ms(shutdown_watchdog::clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

shutdown_watchdog::shutdown_watchdog(int64_t timeout_ms, last_words words)
  : timeout_ms_(timeout_ms), words_(std::move(words)) {
  install_stop_signals();
  if (stop_signal() != 0) arm();  // a signal came before the node got this far
  set_watchdog_listening(true);
  thread_ = std::thread([this] { run(); });
}

shutdown_watchdog::~shutdown_watchdog() {
  done_ = true;
  thread_.join();
  set_watchdog_listening(false);
}

void shutdown_watchdog::arm() {
  int64_t none = -1;
  armed_at_ms_.compare_exchange_strong(none, steady_ms(clock::now()));
}

shutdown_watchdog::clock::time_point shutdown_watchdog::hard_deadline() const {
  return clock::time_point(std::chrono::milliseconds(armed_at_ms_.load() + timeout_ms_));
}

shutdown_watchdog::clock::time_point shutdown_watchdog::soft_deadline() const {
  // The teardown after the soft deadline (skipping the final checkpoint, stopping
  // the actors, printing stats) needs a moment; a fifth of the budget, at most 2 s.
  auto margin = std::chrono::milliseconds(std::min<int64_t>(timeout_ms_ / 5, 2000));
  return hard_deadline() - margin;
}

void shutdown_watchdog::run() {
  const int fd = stop_signal_fd();
  while (!done_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, fd >= 0 ? 1 : 0, 50) > 0) {
      char buf[16];
      while (::read(fd, buf, sizeof buf) > 0) {}
    }
    if (stop_signal_count() >= 1) arm();
    if (stop_signal_count() >= 2) {
      words_("a second stop signal: exiting at once (nothing more is flushed, no final checkpoint)",
             exit_code_for_second_signal(stop_signal()));
      std::_Exit(exit_code_for_second_signal(stop_signal()));
    }
    if (armed() && clock::now() >= hard_deadline()) {
      auto why = "the stop did not finish within node.shutdown_timeout_ms = " + std::to_string(timeout_ms_)
                 + " ms: exiting now; the final checkpoint is skipped";
      words_(why, rtfeat::exit_code(exit_status::shutdown_timeout));
      std::_Exit(rtfeat::exit_code(exit_status::shutdown_timeout));
    }
  }
}

}  // namespace rtfeat::node
