// Durations in config files: "500ms", "5s", "30m", "24h", "7d" or a bare integer of ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rtfeat {

/// Milliseconds of `text`, or nullopt when it is not a duration.
std::optional<int64_t> parse_duration_ms(std::string_view text);

}  // namespace rtfeat
