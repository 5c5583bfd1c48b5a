// What a node tells its operator: a progress line on stderr while it runs and
// a final summary (text, and JSON with --stats for tests and tools).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/metrics/node_metrics.hpp"

namespace rtfeat::node {

/// Epoch ms as ISO-8601 UTC ("-" for no watermark).
std::string format_event_time(int64_t ms);

class node_report {
public:
  explicit node_report(const node_metrics& m);
  /// One progress line with rates since the previous call.
  std::string progress_line();
  std::string summary_line(double seconds) const;
  /// Writes the counters as JSON; false when the file cannot be written.
  bool write_stats(const std::string& path, double seconds) const;

private:
  const node_metrics& m_;
  uint64_t last_read_ = 0;
  int64_t last_ms_ = 0;
};

}  // namespace rtfeat::node
