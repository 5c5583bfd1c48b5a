// Durations in config files: "500ms", "5s", "30m", "24h", "7d" or a bare integer of ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rtfeat {

/// The longest duration accepted: 100 years. Larger ones are typos, and "9223372036854775807d"
/// in ms would overflow int64 (found by test/fuzz/config_loader_fuzz).
inline constexpr int64_t max_duration_ms = int64_t{36500} * 24 * 3600 * 1000;

/// Milliseconds of `text`, or nullopt when it is not a duration or longer than max_duration_ms.
std::optional<int64_t> parse_duration_ms(std::string_view text);

}  // namespace rtfeat
