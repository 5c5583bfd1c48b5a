// The codec of feature state in snapshots: a flat stream of msgpack values
// (ints, uints, strings, 128-bit ints as fixext16; a string may hold a nested stream), written and read
// in the same order by each feature state. Any msgpack reader can read it; the
// subset is encoded here by hand because msgpack-c's packer (one buffer call
// per header and per body) and unpacker (a zone per value) were most of the
// time of a checkpoint and of a restore (docs/performance.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <climits>
#include <utility>
#include <string>
#include <string_view>

#include "runtime/wide_int.hpp"

namespace rtfeat {

/// The msgpack ext type of a 128-bit integer in a snapshot.
inline constexpr uint8_t wide_ext_type = 1;

class state_writer {
public:
  state_writer() = default;
  /// Writes on after `bytes` (another writer's, taken back).
  explicit state_writer(std::string bytes) : buf_(std::move(bytes)) {}
  state_writer& i64(int64_t v) {
    if (v >= 0) return u64(static_cast<uint64_t>(v));
    if (v >= -32) return byte(static_cast<uint8_t>(v));  // negative fixint
    if (v >= INT8_MIN) return tagged(0xd0, static_cast<uint64_t>(v), 1);
    if (v >= INT16_MIN) return tagged(0xd1, static_cast<uint64_t>(v), 2);
    if (v >= INT32_MIN) return tagged(0xd2, static_cast<uint64_t>(v), 4);
    return tagged(0xd3, static_cast<uint64_t>(v), 8);
  }
  state_writer& u64(uint64_t v) {
    if (v < 0x80) return byte(static_cast<uint8_t>(v));  // positive fixint
    if (v <= UINT8_MAX) return tagged(0xcc, v, 1);
    if (v <= UINT16_MAX) return tagged(0xcd, v, 2);
    if (v <= UINT32_MAX) return tagged(0xce, v, 4);
    return tagged(0xcf, v, 8);
  }
  /// A value that fits int64 as i64() writes it (old snapshots and most bytes
  /// stay the same); a larger one as fixext16 of type 1, 16 bytes big-endian
  /// two's complement.
  state_writer& i128(wide_int v) {
    if (fits_int64(v)) return i64(static_cast<int64_t>(v));
    auto bits = static_cast<wide_uint>(v);
    byte(0xd8), byte(wide_ext_type);
    for (int shift = 120; shift >= 0; shift -= 8) byte(static_cast<uint8_t>(bits >> shift));
    return *this;
  }
  state_writer& str(std::string_view v) {
    auto n = v.size();
    if (n < 32) byte(static_cast<uint8_t>(0xa0 | n));  // fixstr
    else if (n <= UINT8_MAX) tagged(0xd9, n, 1);
    else if (n <= UINT16_MAX) tagged(0xda, n, 2);
    else tagged(0xdb, n, 4);
    buf_.append(v);
    return *this;
  }
  void reserve(size_t bytes) { buf_.reserve(bytes); }
  /// Appends bytes another writer wrote (a whole value or several).
  state_writer& raw(std::string_view encoded) {
    buf_.append(encoded);
    return *this;
  }
  /// The bytes written so far.
  std::string_view bytes() const { return buf_; }
  bool empty() const { return buf_.empty(); }
  /// Moves the bytes out; the writer is empty afterwards.
  std::string take() { return std::exchange(buf_, {}); }
  /// Starts a string value whose content is what is written next (a nested
  /// stream, read back with str_view()); returns the mark for end_nested().
  /// REQUIRES: less than 4 GiB until end_nested(mark).
  size_t begin_nested();
  void end_nested(size_t mark);

private:
  state_writer& byte(uint8_t b) {
    buf_.push_back(static_cast<char>(b));
    return *this;
  }
  /// `tag`, then the low `width` bytes of `v`, big-endian.
  state_writer& tagged(uint8_t tag, uint64_t v, size_t width) {
    char out[9];
    out[0] = static_cast<char>(tag);
    for (size_t i = 0; i < width; ++i) out[1 + i] = static_cast<char>(v >> (8 * (width - 1 - i)));
    buf_.append(out, 1 + width);
    return *this;
  }
  std::string buf_;
};

/// Reads what a state_writer wrote. Any type mismatch or truncation makes
/// ok() false and every later read return zero values: check ok() at the end.
class state_reader {
public:
  explicit state_reader(std::string_view bytes) : bytes_(bytes) {}
  int64_t i64();
  uint64_t u64();
  /// An event time (an event's ts, a bucket start): fails unless in [0, max_ts]. Events
  /// are after 2000 (SPEC §2); a corrupt one near INT64_MIN overflowed the window
  /// arithmetic (sliding_spec::bucket_of; found by test/fuzz/snapshot_decoder_fuzz).
  int64_t ts() {
    auto v = i64();
    if (v < 0 || v > max_ts) return ok_ = false, 0;
    return v;
  }
  static constexpr int64_t max_ts = int64_t{1} << 52;  // year ~144,000: window math cannot overflow
  /// Reads what i128() or i64() wrote.
  wide_int i128();
  std::string str();
  /// A view into the bytes read (valid as long as they are).
  std::string_view str_view();
  bool at_end() const { return offset_ >= bytes_.size(); }
  /// Bytes not read yet: a bound for a count read from the input (each value takes at least one).
  size_t remaining() const { return at_end() ? 0 : bytes_.size() - offset_; }
  bool ok() const { return ok_; }

private:
  /// An integer of the int family (fixints, int/uint 8..64): its bits and sign.
  /// False (ok() false) on anything else, a truncation included.
  bool integer(uint64_t& bits, bool& negative);

  std::string_view bytes_;
  size_t offset_ = 0;
  bool ok_ = true;
};

}  // namespace rtfeat
