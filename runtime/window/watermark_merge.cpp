// Min-merge of reader watermarks (see watermark_merge.hpp).
#include "runtime/window/watermark_merge.hpp"

#include <algorithm>

namespace rtfeat {

int64_t watermark_merge::current() {
  bool any = false;
  int64_t low = 0;
  for (size_t r = 0; r < marks_.size(); ++r) {
    if (excluded_[r]) continue;
    if (marks_[r] == no_watermark) return last_;
    low = any ? std::min(low, marks_[r]) : marks_[r];
    any = true;
  }
  if (any && (last_ == no_watermark || low > last_)) last_ = low;
  return last_;
}

}  // namespace rtfeat
