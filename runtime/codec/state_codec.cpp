// The msgpack subset of state_writer / state_reader (see state_codec.hpp);
// malformed input makes ok() false, never throws.
#include "runtime/codec/state_codec.hpp"

#include <cstdint>
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
// a restore (bench_checkpoint: 22.7 s to decode the state of 1 M users).
namespace {

uint64_t big_endian(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v << 8 | p[i];
  return v;
}

}  // namespace

/// One msgpack value: an integer (`is_int`, `negative` when it came signed and
/// below zero), a 128-bit integer (`is_wide`) or a string (`text`). False on a truncated or unexpected byte.
bool state_reader::next(value& out) {
  if (!ok_ || offset_ >= bytes_.size()) return ok_ = false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + offset_;
  size_t left = bytes_.size() - offset_;
  unsigned char tag = p[0];
  size_t head = 1, width = 0;
  out = value{};
  if (tag <= 0x7f) {  // positive fixint
    out.is_int = true, out.bits = tag;
  } else if (tag >= 0xe0) {  // negative fixint
    out.is_int = true, out.negative = true, out.bits = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(tag)));
  } else if (tag >= 0xcc && tag <= 0xd3) {  // uint 8..64, int 8..64
    width = size_t{1} << ((tag - 0xcc) % 4);
    if (left < 1 + width) return ok_ = false;
    out.is_int = true, out.bits = big_endian(p + 1, width), head += width;
    if (tag >= 0xd0) {  // signed: sign-extend
      auto shift = 64 - 8 * width;
      // width is 1, 2, 4 or 8: shift is 56, 48, 32 or 0, never 64.
      auto v = static_cast<int64_t>(out.bits << shift) >> shift;  // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult)
      out.negative = v < 0, out.bits = static_cast<uint64_t>(v);
    }
  } else if (tag == 0xd8) {  // fixext16: only a 128-bit integer
    if (left < 18 || p[1] != wide_ext_type) return ok_ = false;
    wide_uint bits = 0;
    for (size_t i = 0; i < 16; ++i) bits = bits << 8 | p[2 + i];
    out.is_wide = true, out.wide = static_cast<wide_int>(bits), head = 18;
  } else {
    size_t len = 0;
    if (tag >= 0xa0 && tag <= 0xbf) len = tag & 0x1f;  // fixstr
    else if (tag >= 0xd9 && tag <= 0xdb) {            // str 8/16/32
      width = size_t{1} << (tag - 0xd9);
      if (left < 1 + width) return ok_ = false;
      len = big_endian(p + 1, width), head += width;
    } else {
      return ok_ = false;
    }
    if (left - head < len) return ok_ = false;
    out.text = bytes_.substr(offset_ + head, len);
    head += len;
  }
  offset_ += head;
  return true;
}

int64_t state_reader::i64() {
  value v;
  if (!next(v) || !v.is_int || (!v.negative && v.bits > static_cast<uint64_t>(INT64_MAX))) return ok_ = false, 0;
  return static_cast<int64_t>(v.bits);
}
uint64_t state_reader::u64() {
  value v;
  if (!next(v) || !v.is_int || v.negative) return ok_ = false, 0;  // a wide one is not a u64
  return v.bits;
}
wide_int state_reader::i128() {
  value v;
  if (!next(v) || !(v.is_int || v.is_wide)) return ok_ = false, 0;
  if (v.is_wide) return v.wide;
  return v.negative ? static_cast<wide_int>(static_cast<int64_t>(v.bits)) : static_cast<wide_int>(v.bits);
}
std::string state_reader::str() { return std::string(str_view()); }
std::string_view state_reader::str_view() {
  value v;
  if (!next(v) || v.is_int || v.is_wide) return ok_ = false, std::string_view{};
  return v.text;
}

}  // namespace rtfeat
