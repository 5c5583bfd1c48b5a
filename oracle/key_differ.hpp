// Internal to redis_diff: compares one expected key with one Redis key of the
// same name, by type, counting differences into a diff_result and keeping the
// first few as lines. The merge walk over all keys lives in redis_diff.cpp.
#pragma once

#include <string>

#include "oracle/redis_diff.hpp"

namespace rtfeat::oracle {

class key_differ {
public:
  key_differ(diff_result& r, size_t max_lines) : r_(r), max_lines_(max_lines) {}

  /// Counts one difference of a key of type `t`; `describe()` builds its line
  /// only while lines are kept.
  template <class Describe>
  void note(uint64_t& counter, size_t t, Describe&& describe) {
    ++counter;
    ++r_.by_type[t];
    if (r_.lines.size() < max_lines_) r_.lines.push_back(describe());
  }

  /// Content and TTL of a key both sides have. `hll_bytes` is the expected
  /// HyperLogLog's reference bytes, or null when there is none.
  void compare(const std::string& key, const expected_value& want, const redis_key_snapshot& got,
               const std::string* hll_bytes, int64_t want_ttl_s);

  diff_result& result() { return r_; }

private:
  void compare_hash(const std::string& key, const field_map& want, const redis_key_snapshot& got);
  void compare_list(const std::string& key, const list_value& want, const redis_key_snapshot& got);
  void compare_zset(const std::string& key, const zset_value& want, const redis_key_snapshot& got);
  void compare_hll(const std::string& key, const hll_value& want, const redis_key_snapshot& got,
                   const std::string* hll_bytes);

  diff_result& r_;
  size_t max_lines_;
};

/// Short description of an expected value for "missing key" lines.
std::string preview(const expected_value& v);

}  // namespace rtfeat::oracle
