// PFCOUNT of a member set without Redis: the registers PFADD would set, then
// Redis's estimator (hyperloglog.c hllCount since Redis 5: Otmar Ertl, "New
// cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284).
// rtfeat export needs the number serve reads for a HyperLogLog input, and that
// number is Redis's estimate, not the set's size.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace rtfeat::oracle {

/// What PFCOUNT answers for a HyperLogLog holding exactly `members`.
uint64_t redis_pfcount(const std::set<std::string>& members);

}  // namespace rtfeat::oracle
