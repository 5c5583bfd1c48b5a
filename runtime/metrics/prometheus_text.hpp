// The node's counters in Prometheus' text exposition format (version 0.0.4),
// as served on /metrics. Names and meanings: docs/metrics.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/metrics/node_metrics.hpp"

namespace rtfeat {

/// `node`: the node id (cluster) or "local"; `now_unix_ms`: wall clock, for the
/// watermark lag (event time is wall-clock milliseconds).
std::string prometheus_text(const node_metrics& m, std::string_view node, int64_t now_unix_ms);

/// A label value with \, " and newline escaped as the format requires.
std::string prometheus_label_value(std::string_view v);

}  // namespace rtfeat
