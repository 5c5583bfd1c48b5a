// The msgpack subset of state_writer / state_reader (see state_codec.hpp);
// malformed input makes ok() false, never throws.
#include "runtime/codec/state_codec.hpp"

#include <cstdint>
#include <cstring>
#include <utility>

namespace rtfeat {

// A nested section is a str32 (0xdb + 4-byte big-endian length) whose length
// is filled in when the section ends: any msgpack reader takes it as a string.
size_t state_writer::begin_nested() {
  buf_.append("\xdb\0\0\0\0", 5);
  return buf_.size();
}
void state_writer::end_nested(size_t mark) {
  auto n = static_cast<uint32_t>(buf_.size() - mark);
  for (size_t i = 0; i < 4; ++i) buf_[mark - 4 + i] = static_cast<char>(n >> (24 - 8 * i));
}

// The reader decodes the msgpack subset the writer emits (ints, uints, strs)
// itself: msgpack::unpack per value allocated a zone each time and was 90 % of
// a restore (bench_checkpoint: 22.7 s to decode the state of 1 M users). Each
// read decodes only the family it expects: one generic value per read (with
// its 128-bit member zeroed) was a quarter of a restore's instructions.
namespace {

/// A big-endian unsigned integer of 1, 2, 4 or 8 bytes.
uint64_t big_endian(const unsigned char* p, size_t width) {
  switch (width) {
    case 1: return p[0];
    case 2: { uint16_t v; std::memcpy(&v, p, 2); return __builtin_bswap16(v); }
    case 4: { uint32_t v; std::memcpy(&v, p, 4); return __builtin_bswap32(v); }
    default: { uint64_t v; std::memcpy(&v, p, 8); return __builtin_bswap64(v); }
  }
}

}  // namespace

bool state_reader::integer(uint64_t& bits, bool& negative) {
  if (!ok_ || offset_ >= bytes_.size()) return ok_ = false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + offset_;
  unsigned char tag = p[0];
  negative = false;
  if (tag <= 0x7f) {  // positive fixint
    bits = tag, offset_ += 1;
    return true;
  }
  if (tag >= 0xe0) {  // negative fixint
    negative = true, bits = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(tag))), offset_ += 1;
    return true;
  }
  if (tag < 0xcc || tag > 0xd3) return ok_ = false;  // uint 8..64, int 8..64 only
  size_t width = size_t{1} << ((tag - 0xcc) % 4);
  if (bytes_.size() - offset_ < 1 + width) return ok_ = false;
  bits = big_endian(p + 1, width);
  if (tag >= 0xd0) {  // signed: sign-extend
    auto shift = 64 - 8 * width;
    // width is 1, 2, 4 or 8: shift is 56, 48, 32 or 0, never 64.
    auto v = static_cast<int64_t>(bits << shift) >> shift;  // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult)
    negative = v < 0, bits = static_cast<uint64_t>(v);
  }
  offset_ += 1 + width;
  return true;
}

int64_t state_reader::i64() {
  uint64_t bits = 0;
  bool negative = false;
  if (!integer(bits, negative) || (!negative && bits > static_cast<uint64_t>(INT64_MAX))) return ok_ = false, 0;
  return static_cast<int64_t>(bits);
}
uint64_t state_reader::u64() {
  uint64_t bits = 0;
  bool negative = false;
  if (!integer(bits, negative) || negative) return ok_ = false, 0;  // a wide one is not a u64
  return bits;
}
wide_int state_reader::i128() {
  if (ok_ && offset_ < bytes_.size() && static_cast<unsigned char>(bytes_[offset_]) == 0xd8) {  // fixext16
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + offset_;
    if (bytes_.size() - offset_ < 18 || p[1] != wide_ext_type) return ok_ = false, 0;
    wide_uint bits = 0;
    for (size_t i = 0; i < 16; ++i) bits = bits << 8 | p[2 + i];
    offset_ += 18;
    return static_cast<wide_int>(bits);
  }
  uint64_t bits = 0;
  bool negative = false;
  if (!integer(bits, negative)) return ok_ = false, 0;
  return negative ? static_cast<wide_int>(static_cast<int64_t>(bits)) : static_cast<wide_int>(bits);
}
std::string state_reader::str() { return std::string(str_view()); }
std::string_view state_reader::str_view() {
  if (!ok_ || offset_ >= bytes_.size()) return ok_ = false, std::string_view{};
  const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + offset_;
  unsigned char tag = p[0];
  size_t left = bytes_.size() - offset_, head = 1, len = 0;
  if (tag >= 0xa0 && tag <= 0xbf) {  // fixstr
    len = tag & 0x1f;
  } else if (tag >= 0xd9 && tag <= 0xdb) {  // str 8/16/32
    size_t width = size_t{1} << (tag - 0xd9);
    if (left < 1 + width) return ok_ = false, std::string_view{};
    len = big_endian(p + 1, width), head += width;
  } else {
    return ok_ = false, std::string_view{};
  }
  if (left - head < len) return ok_ = false, std::string_view{};
  auto text = bytes_.substr(offset_ + head, len);
  offset_ += head + len;
  return text;
}

}  // namespace rtfeat
