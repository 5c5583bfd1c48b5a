// Number formatting for the oracle (see decimal_text.hpp).
#include "oracle/decimal_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace rtfeat::oracle {

int64_t to_units(double v) { return std::llround(v * 10000.0); }

std::string units_text(int64_t units) {
  // Unsigned magnitude, so that INT64_MIN needs no special case.
  uint64_t mag = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string frac = std::to_string(mag % 10000);
  return (units < 0 ? "-" : "") + std::to_string(mag / 10000) + "."
         + std::string(4 - frac.size(), '0') + frac;
}

std::string ratio_text(int64_t num, int64_t den) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%.4f",
                static_cast<double>(num) / static_cast<double>(den));
  return buf.data();
}

}  // namespace rtfeat::oracle
