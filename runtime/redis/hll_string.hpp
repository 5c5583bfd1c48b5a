// A HyperLogLog built from its members as the string Redis itself keeps
// (hyperloglog.c), so that a sliding distinct set rewritten whole is one atomic
// SET ... EX instead of DEL + PFADD of every member + EXPIRE in MULTI/EXEC.
// Sparse while Redis would keep it sparse (as PFADD would have made it), dense
// past that: the key's memory is the same as if PFADD had built it.
#pragma once

#include <string>
#include <vector>

namespace rtfeat {

/// Redis's sparse-encoding limit, `hll-sparse-max-bytes` (default 3000, header included).
inline constexpr size_t hll_sparse_max_bytes = 3000;

/// The HLL string for `members` (cached count marked stale: computed on first read).
std::string redis_hll_of(const std::vector<std::string>& members);

}  // namespace rtfeat
