// Progress reporting for long commands (SPEC §7: "show progress with rates"):
// a clock checked every few thousand items, a line on stderr about once a second.
#pragma once

#include <chrono>
#include <cstdint>

namespace rtfeat {

class progress_meter {
public:
  progress_meter() : start_(clock::now()), last_(start_) {}

  /// True about once a second; cheap to call once per item.
  bool due() {
    if ((++calls_ & 4095) != 0) return false;
    const auto now = clock::now();
    if (now - last_ < std::chrono::seconds(1)) return false;
    last_ = now;
    return true;
  }

  double elapsed_s() const { return std::chrono::duration<double>(clock::now() - start_).count(); }

  /// Items per second since construction (0 before any time has passed).
  double rate(uint64_t done) const {
    const double s = elapsed_s();
    return s > 0 ? static_cast<double>(done) / s : 0;
  }

private:
  using clock = std::chrono::steady_clock;
  clock::time_point start_;
  clock::time_point last_;
  uint64_t calls_ = 0;
};

}  // namespace rtfeat
