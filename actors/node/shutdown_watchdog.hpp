// Bounds a node's stop (node.shutdown_timeout_ms) and makes a second signal
// exit at once. A thread of its own, because the main thread may be the one
// stuck (a hung Redis, the actor system waiting for a blocked actor).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace rtfeat::node {

class shutdown_watchdog {
public:
  using clock = std::chrono::steady_clock;
  /// Gets why the process exits and the exit code, prints what it can (stats);
  /// the process then exits without unwinding. Runs in: the watchdog thread.
  using last_words = std::function<void(const std::string& why, int code)>;

  /// Listens for stop signals until destroyed. `timeout_ms` = node.shutdown_timeout_ms.
  shutdown_watchdog(int64_t timeout_ms, last_words words);
  ~shutdown_watchdog();
  shutdown_watchdog(const shutdown_watchdog&) = delete;
  shutdown_watchdog& operator=(const shutdown_watchdog&) = delete;

  /// A stop began (a signal arms it by itself): the process ends by the hard
  /// deadline, timeout_ms from the first arm. Idempotent.
  void arm();
  bool armed() const { return armed_at_ms_.load() >= 0; }
  /// When the node should give up waiting and tear down, leaving time to
  /// print and exit before the hard deadline. REQUIRES: armed().
  clock::time_point soft_deadline() const;

private:
  void run();
  clock::time_point hard_deadline() const;

  int64_t timeout_ms_;
  last_words words_;
  std::atomic<int64_t> armed_at_ms_{-1};  // steady clock ms of the first arm, -1 = not armed
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace rtfeat::node
