// Hex formatting shared by the checkpoint messages, manifest and CLI:
// checksums and hashes are always shown as 0x-prefixed, zero-padded lowercase hex.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace rtfeat {

/// 0x + 8 hex digits.
inline std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

/// 0x + 16 hex digits.
inline std::string hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace rtfeat
