// 128-bit signed integers for exact sums of fixed-point amounts. An amount is
// at most 1e18 (event_parser) = 1e22 units of 1/10 000, a weight at most 1000:
// int64 (9.2e18) overflowed at amounts of 9.2e14, 128 bits (1.7e38) need more
// than 1e13 of the largest weighted amounts in one window (docs/features.md "Ranges").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtfeat {

// __extension__: -Wpedantic would warn that ISO C++ has no __int128.
__extension__ typedef __int128 wide_int;
__extension__ typedef unsigned __int128 wide_uint;

inline constexpr wide_int wide_int_max = static_cast<wide_int>(~wide_uint{0} >> 1);
inline constexpr wide_int wide_int_min = -wide_int_max - 1;

inline bool fits_int64(wide_int v) { return v >= INT64_MIN && v <= INT64_MAX; }

/// |v| without overflow (also for wide_int_min).
inline wide_uint magnitude(wide_int v) {
  return v < 0 ? wide_uint{0} - static_cast<wide_uint>(v) : static_cast<wide_uint>(v);
}

/// Decimal digits of `v`, as std::to_string writes an unsigned integer.
inline std::string magnitude_text(wide_uint v) {
  char buf[40];  // 2^128 has 39 digits
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(p, buf + sizeof buf);
}

/// `v` as std::to_string writes an integer: "-"? digits. Through int64 when it
/// fits: a 128-bit division per digit cost ~190 instructions a value.
inline std::string wide_text(wide_int v) {
  if (v >= INT64_MIN && v <= INT64_MAX) return std::to_string(static_cast<int64_t>(v));
  return (v < 0 ? "-" : "") + magnitude_text(magnitude(v));
}

/// Parses what wide_text writes ("-"? digits); nullopt on anything else or overflow.
inline std::optional<wide_int> wide_from_string(std::string_view s) {
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  const wide_uint limit = static_cast<wide_uint>(wide_int_max) + (negative ? 1 : 0);
  wide_uint v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    auto d = static_cast<unsigned>(c - '0');
    if (v > (limit - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return negative ? static_cast<wide_int>(wide_uint{0} - v) : static_cast<wide_int>(v);
}

}  // namespace rtfeat
