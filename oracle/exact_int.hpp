// The oracle's exact integers: 128 bits, written without the engine's
// runtime/wide_int.hpp so that a bug there shows in the diff. Amounts are at
// most 1e18 (1e22 units), weights 1000: no window of a test log overflows.
#pragma once

#include <string>

namespace rtfeat::oracle {

__extension__ typedef __int128 exact_int;  // __extension__: ISO C++ has no __int128

/// Decimal text of `v`, "-" before negatives (as std::to_string for integers).
std::string exact_text(exact_int v);

}  // namespace rtfeat::oracle
