// decode_hll: Redis HyperLogLog bytes -> registers. Header: "HYLL", encoding
// (0 dense, 1 sparse), 3 unused bytes, 8 bytes of cached cardinality (ignored:
// PFCOUNT rewrites it). Dense: register i is 6 bits at bit 6 * i, little end first.
// Sparse opcodes: 00xxxxxx ZERO run, 01xxxxxx yyyyyyyy XZERO run, 1vvvvvxx VAL.
#include "oracle/hll_registers.hpp"

namespace rtfeat::oracle {

namespace {

constexpr size_t header_size = 16;
constexpr size_t dense_size = header_size + hll_register_count * 6 / 8;

std::optional<hll_registers> decode_dense(std::string_view b) {
  if (b.size() != dense_size) return std::nullopt;
  hll_registers regs{};
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + header_size;
  const size_t bytes = b.size() - header_size;
  for (size_t i = 0; i < hll_register_count; ++i) {
    size_t byte = i * 6 / 8;
    unsigned shift = static_cast<unsigned>(i * 6 % 8);
    unsigned lo = p[byte];
    unsigned hi = byte + 1 < bytes ? p[byte + 1] : 0;
    regs[i] = static_cast<uint8_t>(((lo >> shift) | (hi << (8 - shift))) & 63U);
  }
  return regs;
}

std::optional<hll_registers> decode_sparse(std::string_view b) {
  hll_registers regs{};
  size_t reg = 0;
  for (size_t i = header_size; i < b.size(); ++i) {
    auto op = static_cast<unsigned char>(b[i]);
    size_t run = 0;
    uint8_t value = 0;
    if ((op & 0xc0U) == 0) {  // ZERO
      run = (op & 0x3fU) + 1U;
    } else if ((op & 0xc0U) == 0x40U) {  // XZERO
      if (++i == b.size()) return std::nullopt;
      run = (((op & 0x3fU) << 8U) | static_cast<unsigned char>(b[i])) + 1U;
    } else {  // VAL
      value = static_cast<uint8_t>(((op >> 2U) & 0x1fU) + 1U);
      run = (op & 0x3U) + 1U;
    }
    if (reg + run > hll_register_count) return std::nullopt;
    for (size_t r = 0; r < run; ++r) regs[reg++] = value;
  }
  if (reg != hll_register_count) return std::nullopt;
  return regs;
}

}  // namespace

std::optional<hll_registers> decode_hll(std::string_view bytes) {
  if (bytes.size() < header_size || bytes.substr(0, 4) != "HYLL") return std::nullopt;
  switch (bytes[4]) {
    case 0:
      return decode_dense(bytes);
    case 1:
      return decode_sparse(bytes);
    default:
      return std::nullopt;
  }
}

}  // namespace rtfeat::oracle
