// Compact binary encoding of parsed events for node-to-node batches: LEB128
// varints (zigzag for signed), length-prefixed strings, doubles only when
// present. No external library: it is on the remote hot path and must be
// cheaper than CAF's field-by-field serializer (numbers in docs/cluster.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/event.hpp"

namespace rtfeat {

/// Appends to a string it does not own.
class byte_writer {
public:
  explicit byte_writer(std::string& out) : out_(out) {}
  void u64(uint64_t v);
  void i64(int64_t v) { u64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void f64(double v);
  void str(std::string_view v);

private:
  std::string& out_;
};

/// Reads what byte_writer wrote. A truncated or malformed input makes ok()
/// false and every later read return zero values: check ok() at the end.
class byte_reader {
public:
  explicit byte_reader(std::string_view in) : in_(in) {}
  uint64_t u64();
  int64_t i64() {
    auto v = u64();
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  uint8_t u8();
  double f64();
  void str(std::string& out);
  size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }

private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void write_event(byte_writer& w, const event& e);
/// False (and `r` not ok) on malformed input; never throws.
bool read_event(byte_reader& r, event& e);

}  // namespace rtfeat
