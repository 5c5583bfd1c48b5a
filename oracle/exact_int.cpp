// Decimal text of 128-bit integers (see exact_int.hpp): digits are taken from
// the negative side, so the most negative value needs no special case.
#include "oracle/exact_int.hpp"

#include <algorithm>

namespace rtfeat::oracle {

std::string exact_text(exact_int v) {
  std::string out;
  exact_int n = v < 0 ? v : -v;  // |n| = |v|, and -2^127 stays representable
  do {
    out.push_back(static_cast<char>('0' - static_cast<int>(n % 10)));  // n % 10 is in -9..0
    n /= 10;
  } while (n != 0);
  if (v < 0) out.push_back('-');
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace rtfeat::oracle
