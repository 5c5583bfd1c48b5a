// Reads Redis's HyperLogLog string format (hyperloglog.c: 16-byte "HYLL" header,
// then 16384 6-bit registers, dense or sparse run-length encoded) into plain
// registers, so that two HLLs compare exactly whatever their encoding and cache.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rtfeat::oracle {

// Why registers: they are a pure function of the member set (each is a max over
// the members), so an exact comparison is "same registers". The raw bytes are
// not: a key may be sparse or dense for the same registers (dense never goes
// back), and PFCOUNT rewrites the 8-byte cached count in the header. PFCOUNT
// alone is weaker: different registers can give the same estimate.

inline constexpr size_t hll_register_count = 16384;
using hll_registers = std::array<uint8_t, hll_register_count>;

/// The registers of `bytes` (a GET of a HyperLogLog), or nullopt when `bytes` is
/// not a well-formed dense or sparse HyperLogLog.
std::optional<hll_registers> decode_hll(std::string_view bytes);

}  // namespace rtfeat::oracle
