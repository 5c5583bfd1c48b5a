// Event codec (see event_codec.hpp). One flags byte carries the behaviour and
// which optional numbers follow.
#include "runtime/codec/event_codec.hpp"

#include <cstring>

namespace rtfeat {

namespace {
constexpr uint8_t has_category_bit = 1 << 3;
constexpr uint8_t has_price_bit = 1 << 4;
constexpr uint8_t has_amount_bit = 1 << 5;
constexpr uint8_t kind_mask = 0x07;
constexpr uint8_t behavior_count = 6;
}  // namespace

void byte_writer::u64(uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out_.append(buf, n);
}

void byte_writer::f64(double v) {
  char buf[sizeof v];
  std::memcpy(buf, &v, sizeof v);  // host order: every node of a cluster runs the same build
  out_.append(buf, sizeof v);
}

void byte_writer::str(std::string_view v) {
  u64(v.size());
  out_.append(v.data(), v.size());
}

uint64_t byte_reader::u64() {
  uint64_t v = 0;
  for (unsigned shift = 0; ok_ && shift < 64; shift += 7) {
    if (pos_ >= in_.size()) break;
    auto b = static_cast<uint8_t>(in_[pos_++]);
    v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

uint8_t byte_reader::u8() {
  if (!ok_ || pos_ >= in_.size()) return ok_ = false, 0;
  return static_cast<uint8_t>(in_[pos_++]);
}

double byte_reader::f64() {
  double v = 0;
  if (!ok_ || remaining() < sizeof v) return ok_ = false, 0;
  std::memcpy(&v, in_.data() + pos_, sizeof v);
  pos_ += sizeof v;
  return v;
}

void byte_reader::str(std::string& out) {
  auto n = u64();
  if (!ok_ || n > remaining()) {
    ok_ = false;
    out.clear();
    return;
  }
  out.assign(in_.data() + pos_, n);
  pos_ += n;
}

void write_event(byte_writer& w, const event& e) {
  auto flags = static_cast<uint8_t>(static_cast<uint8_t>(e.kind) | (e.has_category ? has_category_bit : 0)
                                    | (e.has_price ? has_price_bit : 0) | (e.has_amount ? has_amount_bit : 0));
  w.u8(flags);
  w.str(e.user_id);
  w.str(e.item_id);
  w.str(e.region);
  w.str(e.campaign_id);
  w.i64(e.ts);
  w.i64(e.category_id);
  if (e.has_price) w.f64(e.price);
  if (e.has_amount) w.f64(e.amount);
}

bool read_event(byte_reader& r, event& e) {
  auto flags = r.u8();
  if ((flags & kind_mask) >= behavior_count) return false;
  e.kind = static_cast<behavior>(flags & kind_mask);
  e.has_category = (flags & has_category_bit) != 0;
  e.has_price = (flags & has_price_bit) != 0;
  e.has_amount = (flags & has_amount_bit) != 0;
  r.str(e.user_id);
  r.str(e.item_id);
  r.str(e.region);
  r.str(e.campaign_id);
  e.ts = r.i64();
  e.category_id = r.i64();
  e.price = e.has_price ? r.f64() : 0;
  e.amount = e.has_amount ? r.f64() : 0;
  return r.ok();
}

}  // namespace rtfeat
