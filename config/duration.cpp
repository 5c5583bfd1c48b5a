// Parser for the duration strings of rtfeat.toml and features.toml.
#include "config/duration.hpp"

#include <charconv>

namespace rtfeat {

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  int64_t n = 0;
  auto [rest, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n < 0 || rest == text.data()) return std::nullopt;
  std::string_view unit(rest, static_cast<size_t>(text.data() + text.size() - rest));
  int64_t scale = 0;
  if (unit.empty() || unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = int64_t{60} * 1000;
  else if (unit == "h") scale = int64_t{3600} * 1000;
  else if (unit == "d") scale = int64_t{24} * 3600 * 1000;
  else return std::nullopt;
  if (n > max_duration_ms / scale) return std::nullopt;
  return n * scale;
}

}  // namespace rtfeat
