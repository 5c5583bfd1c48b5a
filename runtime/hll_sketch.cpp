// HyperLogLog registers in Redis's layout (see hll_sketch.hpp).
#include "runtime/hll_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace rtfeat {

namespace {

constexpr unsigned index_bits = 14;  // HLL_P
constexpr unsigned run_bits = 50;    // HLL_Q = 64 - HLL_P
constexpr size_t header_size = 16;   // HLL_HDR_SIZE
constexpr size_t dense_bytes = (hll_sketch::registers * 6 + 7) / 8;

}  // namespace

uint64_t redis_hll_hash(std::string_view member) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  const auto* data = reinterpret_cast<const unsigned char*>(member.data());
  auto len = member.size();
  uint64_t h = 0xadc83b19ULL ^ (static_cast<uint64_t>(static_cast<int>(len)) * m);
  size_t whole = len - (len & 7);
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t k = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&k, data + i, sizeof k);  // one load, not eight shifts
    } else {
      for (int b = 7; b >= 0; --b) k = (k << 8) | data[i + static_cast<size_t>(b)];  // little-endian load
    }
    k *= m, k ^= k >> r, k *= m;
    h ^= k, h *= m;
  }
  if (auto rest = len & 7; rest != 0) {
    for (size_t b = rest; b-- > 0;) h ^= static_cast<uint64_t>(data[whole + b]) << (8 * b);
    h *= m;
  }
  h ^= h >> r, h *= m, h ^= h >> r;
  return h;
}

std::pair<uint16_t, uint8_t> redis_hll_register(std::string_view member) {
  uint64_t hash = redis_hll_hash(member);
  auto index = static_cast<uint16_t>(hash & (hll_sketch::registers - 1));
  hash >>= index_bits;
  hash |= uint64_t{1} << run_bits;  // the run ends at bit 50 at the latest
  return {index, static_cast<uint8_t>(std::countr_zero(hash) + 1)};
}

bool hll_sketch::add(std::string_view member) {
  auto [index, count] = redis_hll_register(member);
  if (count <= at(index)) return false;
  set(index, count);
  return true;
}

uint8_t hll_sketch::at(size_t i) const {
  if (!dense_.empty()) return dense_[i];
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), std::pair<uint16_t, uint8_t>(static_cast<uint16_t>(i), 0));
  return it != sparse_.end() && it->first == i ? it->second : 0;
}

void hll_sketch::set(uint16_t index, uint8_t value) {
  if (!dense_.empty()) {
    dense_[index] = value;
    return;
  }
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), std::pair<uint16_t, uint8_t>(index, 0));
  if (it != sparse_.end() && it->first == index) {
    it->second = value;
    return;
  }
  sparse_.insert(it, {index, value});
  if (sparse_.size() <= sparse_limit) return;
  dense_.assign(registers, 0);
  for (auto [i, v] : sparse_) dense_[i] = v;
  sparse_ = {};
}

void hll_sketch::merge(const hll_sketch& other) {
  for (size_t i = 0; i < registers; ++i)
    if (auto v = other.at(i); v > at(i)) set(static_cast<uint16_t>(i), v);
}

std::string hll_sketch::redis_dense() const {
  std::string out(header_size + dense_bytes + 1, '\0');  // +1: the last register's spill byte
  std::memcpy(out.data(), "HYLL", 4);                    // then encoding 0 = dense, 3 unused bytes
  out[15] = static_cast<char>(0x80);                     // HLL_INVALIDATE_CACHE: the count is computed on read
  auto* p = reinterpret_cast<unsigned char*>(out.data() + header_size);
  for (size_t i = 0; i < registers; ++i) {
    unsigned v = at(i);
    if (v == 0) continue;
    size_t byte = i * 6 / 8;
    unsigned fb = i * 6 & 7;
    p[byte] = static_cast<unsigned char>(p[byte] | (v << fb));
    p[byte + 1] = static_cast<unsigned char>(p[byte + 1] | (v >> (8 - fb)));
  }
  out.pop_back();  // the spill byte of register 16383 is always 0 (fb = 2)
  return out;
}

// Snapshot form: 's' + 3 bytes (index LE, value) per register set, or 'd' + every register.
std::string hll_sketch::encode() const {
  std::string out;
  if (!dense_.empty()) {
    out.reserve(1 + registers);
    out.push_back('d');
    out.append(reinterpret_cast<const char*>(dense_.data()), dense_.size());
    return out;
  }
  out.reserve(1 + 3 * sparse_.size());
  out.push_back('s');
  for (auto [i, v] : sparse_) {
    out.push_back(static_cast<char>(i & 0xff));
    out.push_back(static_cast<char>(i >> 8));
    out.push_back(static_cast<char>(v));
  }
  return out;
}

bool hll_sketch::decode(std::string_view bytes) {
  sparse_.clear(), dense_.clear();
  if (bytes.empty()) return false;
  auto body = bytes.substr(1);
  auto valid = [](unsigned v) { return v <= run_bits + 1; };
  if (bytes[0] == 'd') {
    if (body.size() != registers) return false;
    dense_.assign(body.begin(), body.end());
    return std::all_of(dense_.begin(), dense_.end(), valid);
  }
  if (bytes[0] != 's' || body.size() % 3 != 0) return false;
  for (size_t at_byte = 0; at_byte < body.size(); at_byte += 3) {
    auto i = static_cast<unsigned>(static_cast<unsigned char>(body[at_byte]))
             | static_cast<unsigned>(static_cast<unsigned char>(body[at_byte + 1])) << 8;
    auto v = static_cast<unsigned char>(body[at_byte + 2]);
    if (i >= registers || v == 0 || !valid(v)) return false;
    set(static_cast<uint16_t>(i), v);
  }
  return true;
}

}  // namespace rtfeat
