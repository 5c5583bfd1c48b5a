// The two clocks the node and serve read: the wall clock (event-time checks,
// "now" of the parser, freshness ages) and a monotonic one (intervals, timeouts).
#pragma once

#include <cstdint>

namespace rtfeat {

/// Milliseconds since the Unix epoch (system clock: may jump).
int64_t wall_clock_ms();

/// Milliseconds of a monotonic clock with an arbitrary origin: for durations only.
int64_t steady_ms();

}  // namespace rtfeat
