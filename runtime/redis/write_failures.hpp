// A run of failed Redis writes, as the sink sees it: which failures to log
// (every new error at once, a repeated one every few seconds, so an outage is
// visible without flooding stderr) and when the run becomes a stall that the
// node must be told of (sink.stall_timeout_ms).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace rtfeat {

class write_failures {
public:
  using clock = std::chrono::steady_clock;

  /// `stall_timeout_ms` <= 0: never stalled.
  explicit write_failures(int64_t stall_timeout_ms = 0, int64_t repeat_log_ms = 5000)
    : stall_timeout_(stall_timeout_ms), repeat_log_(repeat_log_ms) {}

  /// A write failed with `error`; true when this failure should be logged.
  bool on_failure(const std::string& error, clock::time_point now);
  /// A write succeeded; true when it ended a run of failures (worth a line).
  bool on_success();

  bool failing() const { return in_a_row_ > 0; }
  uint64_t in_a_row() const { return in_a_row_; }
  /// Milliseconds since the first failure of the run (0 when not failing).
  int64_t failing_ms(clock::time_point now) const;
  /// Failing for at least the stall timeout.
  bool stalled(clock::time_point now) const;

private:
  std::chrono::milliseconds stall_timeout_;
  std::chrono::milliseconds repeat_log_;
  uint64_t in_a_row_ = 0;
  clock::time_point since_{};
  clock::time_point logged_{};
  std::string logged_error_;
};

}  // namespace rtfeat
