// Number formatting for the oracle (see decimal_text.hpp).
#include "oracle/decimal_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace rtfeat::oracle {

exact_int to_units(double v) {
  // 2^49 and up: v is k/8 exactly (53-bit mantissa), so v * 10 000 = k * 1250.
  if (v >= 562949953421312.0 || v <= -562949953421312.0) return static_cast<exact_int>(std::ldexp(v, 3)) * 1250;
  double r = std::trunc(v * 10000.0);
  if (std::fabs(v * 10000.0 - r) >= 0.5) r += v < 0 ? -1.0 : 1.0;
  return static_cast<exact_int>(r);
}

std::string units_text(exact_int units) {
  // The digits of |units| (exact_text keeps the sign apart), split at 4 decimals.
  std::string digits = exact_text(units < 0 ? -(units / 10000) : units / 10000);
  std::string frac = exact_text(units % 10000 < 0 ? -(units % 10000) : units % 10000);
  return (units < 0 ? "-" : "") + digits + "." + std::string(4 - frac.size(), '0') + frac;
}

std::string ratio_text(exact_int num, exact_int den) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%.4f",
                static_cast<double>(num) / static_cast<double>(den));
  return buf.data();
}

}  // namespace rtfeat::oracle
