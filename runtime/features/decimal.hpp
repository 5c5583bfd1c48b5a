// Exact decimals for feature values (docs/semantics.md): each price/amount is
// rounded once to 1/10 000, then everything is integer arithmetic, and text is
// written from the integer, never through a float.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace rtfeat {

inline constexpr int64_t decimal_scale = 10000;

inline int64_t to_units(double v) { return std::llround(v * 10000.0); }

/// `units` / 10 000 as "<int>.<4 digits>", e.g. 1797000 -> "179.7000", -5 -> "-0.0005".
/// Written with to_chars, not snprintf: formatting was ~8 % of a flush's work.
inline std::string units_text(int64_t units) {
  char buf[32];
  char* p = buf;
  auto mag = units < 0 ? static_cast<uint64_t>(-(units + 1)) + 1 : static_cast<uint64_t>(units);
  if (units < 0) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, mag / decimal_scale).ptr;
  auto frac = mag % decimal_scale;
  *p++ = '.';
  for (uint64_t div = decimal_scale / 10; div > 0; div /= 10) *p++ = static_cast<char>('0' + frac / div % 10);
  return std::string(buf, p);
}

/// `v` with 4 decimals, exactly as printf's "%.4f" (to_chars with a precision is
/// specified as printf in the C locale).
inline std::string fixed4_text(double v) {
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 4);
  return std::string(buf, r.ptr);
}

/// One IEEE division of two exact integers, written with %.4f.
inline std::string ratio_text(int64_t numerator, int64_t denominator) {
  return fixed4_text(static_cast<double>(numerator) / static_cast<double>(denominator));
}

}  // namespace rtfeat
