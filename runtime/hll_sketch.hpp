// The registers of a Redis HyperLogLog, kept by the engine for unbounded
// distinct counts (SPEC §3 #8). Their members are not kept (they only grow),
// so without the registers a Redis that lost the key could never be repaired:
// PFADD needs members, but SET of the registers in Redis's own format works.
// Mirrors hyperloglog.c of Redis >= 5 (MurmurHash64A, 14-bit index, 50-bit run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtfeat {

class hll_sketch {
public:
  static constexpr size_t registers = 16384;

  /// Adds a member as PFADD would; true when a register grew.
  bool add(std::string_view member);
  bool empty() const { return sparse_.empty() && dense_.empty(); }
  /// Register `i`'s value (0 = never set).
  uint8_t at(size_t i) const;
  /// Max-merges another sketch's registers into this one (PFMERGE).
  void merge(const hll_sketch& other);

  /// Redis's dense HyperLogLog string ("HYLL" header, cached count marked
  /// stale, 16384 6-bit registers): SET it and Redis reads it as the same HLL.
  std::string redis_dense() const;

  /// Compact form for snapshots; decode() reads it back (false on bad bytes).
  std::string encode() const;
  bool decode(std::string_view bytes);

private:
  void set(uint16_t index, uint8_t value);
  // Few registers set: sorted (index, value) pairs; past sparse_limit, all of them.
  static constexpr size_t sparse_limit = 1024;
  std::vector<std::pair<uint16_t, uint8_t>> sparse_;
  std::vector<uint8_t> dense_;
};

/// Redis's MurmurHash64A with the HyperLogLog seed (hyperloglog.c).
uint64_t redis_hll_hash(std::string_view member);
/// The (register, value) PFADD of `member` raises to at least (hllPatLen).
std::pair<uint16_t, uint8_t> redis_hll_register(std::string_view member);

}  // namespace rtfeat
