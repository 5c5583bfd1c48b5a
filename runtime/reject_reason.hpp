// Why an event went to the dead-letter sink. Every reason is a *poison* error
// (SPEC §2): the event is set aside and counted, the node keeps running.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rtfeat {

enum class reject_reason : uint8_t {
  oversize,        // payload larger than max_event_bytes (64 KiB)
  bad_json,        // not parseable JSON, or not an object
  missing_field,   // a required field is absent, null or an empty string
  wrong_type,      // a field has the wrong JSON type
  bad_behavior,    // behavior is not one of view|click|cart|fav|purchase|search
  ts_out_of_range, // ts before 2000-01-01 or more than one day after now
  out_of_range,    // price or amount not finite or |value| > 1e18 (max_abs_amount)
  future_ts,       // ts > W_p + watermark.max_future_skew_ms, no second event agreeing
};

inline constexpr size_t reject_reason_count = 8;

inline constexpr std::array<std::string_view, reject_reason_count> reject_reason_names{
  "oversize", "bad_json", "missing_field", "wrong_type",
  "bad_behavior", "ts_out_of_range", "out_of_range", "future_ts"};

inline std::string_view to_string(reject_reason r) {
  return reject_reason_names[static_cast<size_t>(r)];
}

/// Per-reason counters, as kept by readers and reported by the node.
using reject_counts = std::array<uint64_t, reject_reason_count>;

}  // namespace rtfeat
