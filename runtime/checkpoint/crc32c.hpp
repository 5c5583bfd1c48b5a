// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of checkpoint
// snapshot files and manifests. Uses the SSE4.2 crc32 instruction when the CPU has
// it (checked once at run time) and a slicing-by-8 table otherwise.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtfeat {

/// Continues a CRC32C: `crc` is the value returned for the preceding bytes (0 to start).
/// crc32c_extend(crc32c(a), b) == crc32c(a + b). Thread-safe, never blocks.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t size);

/// CRC32C of `data`; crc32c("123456789") == 0xE3069283.
inline uint32_t crc32c(std::string_view data) { return crc32c_extend(0, data.data(), data.size()); }

/// The portable table implementation, exposed so tests and benches can compare it
/// with the hardware path.
uint32_t crc32c_extend_portable(uint32_t crc, const void* data, size_t size);

/// True when crc32c_extend uses the SSE4.2 instruction on this CPU.
bool crc32c_is_hardware();

}  // namespace rtfeat
