// JSON payload -> event, with the validation of SPEC §2. Anything invalid comes
// back as a reject_reason for the dead-letter sink; nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "runtime/clock.hpp"
#include "runtime/event.hpp"
#include "runtime/reject_reason.hpp"

namespace rtfeat {

inline constexpr size_t max_event_bytes = 64 * 1024;
inline constexpr int64_t min_event_ts = 946684800000;  // 2000-01-01T00:00:00Z
inline constexpr int64_t max_future_ms = 24 * 3600 * 1000;
/// The largest |price| and |amount| accepted (out_of_range beyond): 1e22 units
/// of 1/10 000, which 128-bit sums hold exactly (docs/features.md "Ranges").
inline constexpr double max_abs_amount = 1e18;

/// Which checks parse() makes beyond SPEC §2's.
struct parse_checks {
  /// Off only for the oracle, which applies the bound itself so that a bug in
  /// either copy shows in its diff.
  bool amount_range = true;
};


/// Reusable parser; one per reader (not thread-safe).
class event_parser {
public:
  /// `now_ms` fixes "now" for the `ts > now + 1 day` check; refresh it with set_now.
  explicit event_parser(int64_t now_ms = wall_clock_ms(), parse_checks checks = {});

  void set_now(int64_t now_ms) { max_ts_ = now_ms + max_future_ms; }

  /// Parses and validates `payload` into `out`. Returns the reason when invalid;
  /// `out` is then unspecified. Duplicate keys: the last occurrence wins.
  std::optional<reject_reason> parse(std::string_view payload, event& out);

private:
  simdjson::dom::parser parser_;
  std::string buffer_;  // payload copy with simdjson's padding
  int64_t max_ts_;
  parse_checks checks_;
};

}  // namespace rtfeat
