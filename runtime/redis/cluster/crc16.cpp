// Table-driven CRC-16/XMODEM: one table lookup per byte instead of eight shifts,
// since every command a cluster sink sends hashes its key.
#include "runtime/redis/cluster/crc16.hpp"

#include <array>

namespace rtfeat {

namespace {

constexpr uint16_t polynomial = 0x1021;

/// CRC of each byte value alone, shifted in from the top (MSB first).
constexpr std::array<uint16_t, 256> make_table() {
  std::array<uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    auto crc = static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      const bool top = (crc & 0x8000U) != 0;
      crc = static_cast<uint16_t>(crc << 1);
      if (top) crc ^= polynomial;
    }
    table[byte] = crc;
  }
  return table;
}

constexpr auto table = make_table();

}  // namespace

uint16_t crc16(std::string_view data) {
  uint16_t crc = 0;
  for (char c : data) {
    const auto index = static_cast<uint8_t>((crc >> 8) ^ static_cast<uint8_t>(c));
    crc = static_cast<uint16_t>((crc << 8) ^ table[index]);
  }
  return crc;
}

}  // namespace rtfeat
