// Exact decimals for feature values (docs/semantics.md): each price/amount is
// rounded once to 1/10 000, then everything is integer arithmetic, and text is
// written from the integer, never through a float.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace rtfeat {

inline constexpr int64_t decimal_scale = 10000;

inline int64_t to_units(double v) { return std::llround(v * 10000.0); }

/// `units` / 10 000 as "<int>.<4 digits>", e.g. 1797000 -> "179.7000", -5 -> "-0.0005".
inline std::string units_text(int64_t units) {
  char buf[32];
  auto mag = units < 0 ? -(units + 1) + 1 : units;  // no overflow for INT64_MIN + 1 ..
  int len = std::snprintf(buf, sizeof buf, "%s%lld.%04lld", units < 0 ? "-" : "",
                          static_cast<long long>(mag / decimal_scale),
                          static_cast<long long>(mag % decimal_scale));
  return std::string(buf, static_cast<size_t>(len));
}

/// One IEEE division of two exact integers, written with %.4f.
inline std::string ratio_text(int64_t numerator, int64_t denominator) {
  char buf[48];
  int len = std::snprintf(buf, sizeof buf, "%.4f",
                          static_cast<double>(numerator) / static_cast<double>(denominator));
  return std::string(buf, static_cast<size_t>(len));
}

}  // namespace rtfeat
