// Port of Kafka's Utils.murmur2 (32-bit, little-endian 4-byte blocks, signed-char tail).
#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {

uint32_t murmur2_seeded(std::string_view data, uint32_t seed) {
  constexpr uint32_t m = 0x5bd1e995;
  constexpr int r = 24;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const auto length = static_cast<uint32_t>(data.size());
  uint32_t h = seed ^ length;
  const uint32_t blocks = length / 4;
  for (uint32_t i = 0; i < blocks; ++i) {
    const unsigned char* b = p + size_t{4} * i;
    uint32_t k = static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8)
                 | (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const unsigned char* tail = p + size_t{4} * blocks;
  switch (length % 4) {
    case 3: h ^= static_cast<uint32_t>(tail[2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<uint32_t>(tail[1]) << 8; [[fallthrough]];
    case 1:
      h ^= static_cast<uint32_t>(tail[0]);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

}  // namespace

uint32_t murmur2(std::string_view data) { return murmur2_seeded(data, 0x9747b28c); }

uint32_t key_group_of(std::string_view key, uint32_t max_parallelism) {
  return (murmur2_seeded(key, 0x2545f491) & 0x7fffffffU) % max_parallelism;
}

}  // namespace rtfeat
