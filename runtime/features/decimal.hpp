// Exact decimals for feature values (docs/semantics.md): each price/amount is
// rounded once to 1/10 000, then everything is integer arithmetic, and text is
// written from the integer, never through a float.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "runtime/wide_int.hpp"

namespace rtfeat {

inline constexpr int64_t decimal_scale = 10000;

/// `v` rounded to 1/10 000, half away from zero (as llround). 128 bits: an
/// amount up to 1e18 (the parser's bound) is 1e22 units, more than int64 holds.
/// REQUIRES: |v| <= 1e30 (finite; the parser refuses more than 1e18).
inline wide_int to_units(double v) { return static_cast<wide_int>(std::round(v * 10000.0)); }

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

/// units_text of a 128-bit value: the int64 path above for what fits (the
/// bytes written before sums were wide), digits of the magnitude otherwise.
inline std::string units_text(wide_int units) {
  if (fits_int64(units)) return units_text(static_cast<int64_t>(units));
  auto mag = magnitude(units);
  auto frac = std::to_string(static_cast<unsigned>(mag % decimal_scale));
  return (units < 0 ? "-" : "") + magnitude_text(mag / decimal_scale) + "." + std::string(4 - frac.size(), '0') + frac;
}

/// `v` with 4 decimals, exactly as printf's "%.4f" (to_chars with a precision is
/// specified as printf in the C locale).
inline std::string fixed4_text(double v) {
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 4);
  return std::string(buf, r.ptr);
}

/// One IEEE division of two exact integers, written with %.4f. Each converts
/// to the nearest double, for int64 as before sums were wide.
inline std::string ratio_text(wide_int numerator, wide_int denominator) {
  return fixed4_text(static_cast<double>(numerator) / static_cast<double>(denominator));
}

}  // namespace rtfeat
