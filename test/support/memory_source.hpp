// A message_source over lines in memory, for the actor tests: messages handed
// out in order from a start offset, a few per poll if asked, and only up to
// what the test made available (a partition that has no more yet); bounded, so
// a drained reader ends once every line was delivered.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "runtime/source/message_source.hpp"

namespace rtfeat::test {

class memory_source final : public message_source {
public:
  /// Every line available, the first one handed out being `start` (a reader's restored offset).
  explicit memory_source(std::vector<std::string> lines, size_t start = 0)
      : lines_(std::move(lines)), next_(start) {}

  size_t poll(size_t max, const visitor& fn) override {
    size_t n = 0;
    for (; n < max && next_ < std::min(available_, lines_.size()); ++n, ++next_)
      fn(static_cast<int64_t>(next_), lines_[next_]);
    return n;
  }
  bool at_end() const override { return next_ == lines_.size(); }

  /// The offset of the next line to hand out: every line before it was delivered.
  size_t delivered() const { return next_; }
  /// Only lines before offset `end` are handed out until this is called again.
  void make_available(size_t end) { available_ = end; }

private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
  size_t available_ = std::numeric_limits<size_t>::max();
};

}  // namespace rtfeat::test
