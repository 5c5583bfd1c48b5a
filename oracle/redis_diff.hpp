// Compares the oracle's expected state with a snapshot of Redis (SPEC §4: the
// difference must be zero). Counts each kind of difference and keeps the first
// few as readable lines, in key order, so a failing run says what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "oracle/expected_state.hpp"
#include "runtime/redis/redis_reader.hpp"

namespace rtfeat::oracle {

struct diff_result {
  uint64_t redis_keys = 0;         // keys in the snapshot (that still existed)
  uint64_t missing_keys = 0;       // expected, absent from Redis
  uint64_t unexpected_keys = 0;    // in Redis, not expected
  uint64_t wrong_type = 0;         // present but not a hash
  uint64_t missing_fields = 0;     // expected field absent from an existing key
  uint64_t unexpected_fields = 0;  // field in Redis, not expected
  uint64_t different_values = 0;   // field in both, values differ
  uint64_t missing_ttl = 0;        // key should expire (feature ttl > 0) but has no TTL
  std::vector<std::string> lines;  // the first `max_lines` differences

  uint64_t total() const {
    return missing_keys + unexpected_keys + wrong_type + missing_fields + unexpected_fields
           + different_values + missing_ttl;
  }
};

/// Diffs `expected` against `redis`. A missing, unexpected or wrong-type key is
/// one difference (its fields are not counted again). Keys whose TYPE is "none"
/// (deleted during the scan) count as absent.
diff_result diff_redis(const expected_state& expected, const std::vector<redis_key_snapshot>& redis,
                       size_t max_lines);

}  // namespace rtfeat::oracle
