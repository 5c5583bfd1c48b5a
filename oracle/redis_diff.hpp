// Compares the oracle's expected state with a snapshot of Redis (SPEC §4: the
// difference must be zero). Counts each kind of difference, per type too, and
// keeps the first few as readable lines, in key order, so a failing run says
// what is wrong. HyperLogLogs compare register by register (see diff_redis).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "oracle/expected_state.hpp"
#include "runtime/redis/redis_reader.hpp"

namespace rtfeat::oracle {

/// Index of "other" in diff_result::by_type (a Redis type no feature writes).
inline constexpr size_t other_type = value_type_count;

struct diff_result {
  uint64_t redis_keys = 0;              // keys in the snapshot (that still existed)
  uint64_t missing_keys = 0;            // expected, absent from Redis
  uint64_t unexpected_keys = 0;         // in Redis, not expected
  uint64_t wrong_type = 0;              // present with another Redis type
  uint64_t missing_fields = 0;          // hash: expected field absent
  uint64_t unexpected_fields = 0;       // hash: field in Redis, not expected
  uint64_t different_values = 0;        // hash: field in both, values differ
  uint64_t different_lists = 0;         // list: sequence differs (one per key)
  uint64_t missing_members = 0;         // zset: expected member absent
  uint64_t unexpected_members = 0;      // zset: member in Redis, not expected
  uint64_t different_scores = 0;        // zset: member in both, scores differ
  uint64_t different_strings = 0;       // string: value differs
  uint64_t different_hyperloglogs = 0;  // HLL: registers differ or not an HLL (one per key)
  uint64_t missing_ttl = 0;             // key should expire (feature ttl > 0) but has no TTL
  /// Not a difference: Redis fields SPEC §4a leaves undefined (expected_state::undefined_fields).
  uint64_t undefined_fields = 0;
  /// Every difference once more, by the expected type of its key (Redis's type for
  /// unexpected keys, a string starting with "HYLL" counting as hyperloglog).
  std::array<uint64_t, value_type_count + 1> by_type{};
  std::vector<std::string> lines;  // the first `max_lines` differences

  uint64_t total() const {
    uint64_t t = 0;
    for (auto n : by_type) t += n;
    return t;
  }
};

/// Expected key -> raw bytes of the HyperLogLog Redis builds from its member set.
using hll_reference = std::map<std::string, std::string>;

/// Diffs `expected` against `redis`. A missing, unexpected or wrong-type key is
/// one difference (its content is not counted again). Keys whose TYPE is "none"
/// (deleted during the scan) count as absent; keys under redis_scratch_prefix are
/// ignored, and so are expected.undefined_fields. An expected HyperLogLog equals a Redis string when both decode to the
/// same 16384 registers; `hll` gives the expected side (see make_hll_reference).
diff_result diff_redis(const expected_state& expected, const std::vector<redis_key_snapshot>& redis,
                       const hll_reference& hll, size_t max_lines);

/// Builds the expected side of every HyperLogLog of `expected` by PFADDing its
/// exact member set into a scratch key of the same Redis (hll_registers.hpp says
/// why registers, not bytes or PFCOUNT, are compared).
bool make_hll_reference(const expected_state& expected, redis_reader& redis, hll_reference& out,
                        std::string& error);

}  // namespace rtfeat::oracle
