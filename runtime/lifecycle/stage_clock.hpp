// Times the stages of a node's way back to processing (from its start, or from
// the moment it saw a peer lost), so a slow rollback says which stage was slow.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rtfeat {

class stage_clock {
public:
  using steady = std::chrono::steady_clock;

  struct stage {
    std::string name;
    int64_t ms = 0;
  };

  explicit stage_clock(steady::time_point from = steady::now()) : from_(from), last_(from) {}

  /// Starts over at `from`: the stages so far are dropped.
  void restart(steady::time_point from = steady::now()) {
    from_ = last_ = from;
    stages_.clear();
  }

  /// Ends the stage `name` now: it took the time since the previous mark.
  void mark(std::string name) {
    const auto now = steady::now();
    stages_.push_back({std::move(name), ms_between(last_, now)});
    last_ = now;
  }

  int64_t total_ms() const { return ms_between(from_, last_); }
  const std::vector<stage>& stages() const { return stages_; }

  /// "setup 12 ms, restore read 30 ms, ..." in the order marked.
  std::string text() const {
    std::string out;
    for (const auto& s : stages_) out += (out.empty() ? "" : ", ") + s.name + " " + std::to_string(s.ms) + " ms";
    return out;
  }

private:
  static int64_t ms_between(steady::time_point a, steady::time_point b) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
  }

  steady::time_point from_;
  steady::time_point last_;
  std::vector<stage> stages_;
};

}  // namespace rtfeat
