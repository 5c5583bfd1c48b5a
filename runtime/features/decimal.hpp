// Exact decimals for feature values (docs/semantics.md): each price/amount is
// rounded once to 1/10 000, then everything is integer arithmetic, and text is
// written from the integer, never through a float.
#pragma once

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "runtime/wide_int.hpp"

namespace rtfeat {

inline constexpr int64_t decimal_scale = 10000;

/// `v` in units of 1/10 000. Below 2^49 (5.6e14) as always: llround(v * 10000.0),
/// the product rounded to a double first. From 2^49 on a double is a multiple
/// of 1/8, so v * 10 000 is an integer, computed exactly as (8 v) * 1250: the
/// double product would be off by up to 0.05 there, more than int64 held anyway.
/// REQUIRES: |v| <= 1e18 (the parser's bound; 1e22 units).
inline wide_int to_units(double v) {
  if (std::fabs(v) < 0x1p49) return std::llround(v * 10000.0);
  return static_cast<wide_int>(v * 8.0) * 1250;
}

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
/// specified as printf in the C locale). The usual case is computed from the
/// double's bits: v = m * 2^e exactly, so round(v * 10^4) is (m * 10^4) * 2^e
/// rounded half to even in 128-bit integers, a tenth of to_chars' cost.
inline std::string fixed4_text(double v) {
  auto bits = std::bit_cast<uint64_t>(v);
  auto biased = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  int e = biased == 0 ? -1074 : biased - 1075;
  if (biased != 0) m |= uint64_t{1} << 52;
  if (biased != 0x7ff && e <= 9) {  // finite, below 2^63: the units fit in 64 bits after / 10^4
    auto x = static_cast<wide_uint>(m) * decimal_scale;  // < 2^67
    wide_uint units = 0;
    if (e >= 0) {
      units = x << e;
    } else if (e > -120) {
      wide_uint rest = x & ((wide_uint{1} << -e) - 1), half = wide_uint{1} << (-e - 1);
      units = x >> -e;
      if (rest > half || (rest == half && (units & 1) != 0)) ++units;
    }  // else below 2^-53: rounds to 0
    char buf[48];
    char* p = buf;
    if ((bits >> 63) != 0) *p++ = '-';  // printf keeps the sign of -0.0 and of what rounds to 0
    p = std::to_chars(p, buf + sizeof buf, static_cast<uint64_t>(units / decimal_scale)).ptr;
    auto frac = static_cast<unsigned>(units % decimal_scale);
    *p++ = '.';
    for (unsigned div = decimal_scale / 10; div > 0; div /= 10) *p++ = static_cast<char>('0' + frac / div % 10);
    return std::string(buf, p);
  }
  char buf[400];  // 1e308 has 309 digits
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 4);
  return std::string(buf, r.ptr);
}

/// One IEEE division of two exact integers, written with %.4f. Each converts
/// to the nearest double, for int64 as before sums were wide.
inline std::string ratio_text(wide_int numerator, wide_int denominator) {
  return fixed4_text(static_cast<double>(numerator) / static_cast<double>(denominator));
}

}  // namespace rtfeat
