// How the oracle writes numbers (docs/semantics.md "Decimal values"): prices
// and amounts become exact integers of 1/10 000, decimals are written from that
// integer, never through a float; ratios are one double division and %.4f.
#pragma once

#include <cstdint>
#include <string>

#include "oracle/exact_int.hpp"

namespace rtfeat::oracle {

/// One price or amount in 1/10 000: v * 10000.0 rounded half away from zero, as
/// llround; from |v| >= 2^49 on exactly v * 10 000, an integer (docs/semantics.md).
exact_int to_units(double v);

/// `<int>.<4 digits>` from units of 1/10 000, '-' before negatives: 5 -> "0.0005",
/// -123456 -> "-12.3456".
std::string units_text(exact_int units);

/// printf("%.4f", num / den) with num and den converted to double once each.
std::string ratio_text(exact_int num, exact_int den);

/// Milliseconds as seconds with exactly 4 decimals: 1500 -> "1.5000".
inline std::string ms_as_seconds_text(int64_t ms) { return units_text(ms * 10); }

}  // namespace rtfeat::oracle
