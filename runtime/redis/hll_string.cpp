// HLL strings from members (see hll_string.hpp). Sparse opcodes (hyperloglog.c):
// 00xxxxxx ZERO run of 1..64, 01xxxxxx yyyyyyyy XZERO run of 1..16384,
// 1vvvvvxx VAL run of 1..4 registers holding 1..32.
#include "runtime/redis/hll_string.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "runtime/hll_sketch.hpp"

namespace rtfeat {

namespace {

constexpr size_t header_size = 16;
constexpr uint8_t sparse_max_value = 32;

void zeros(std::string& out, size_t run) {
  while (run > 64) {
    size_t n = std::min<size_t>(run, hll_sketch::registers);
    out.push_back(static_cast<char>(0x40U | ((n - 1) >> 8)));
    out.push_back(static_cast<char>((n - 1) & 0xffU));
    run -= n;
  }
  if (run > 0) out.push_back(static_cast<char>(run - 1));
}

void values(std::string& out, uint8_t value, size_t run) {
  for (; run > 0; run -= std::min<size_t>(run, 4))
    out.push_back(static_cast<char>(0x80U | ((value - 1U) << 2) | (std::min<size_t>(run, 4) - 1)));
}

std::string dense_of(const std::vector<std::string>& members) {
  hll_sketch s;
  for (const auto& m : members) s.add(m);
  return s.redis_dense();
}

}  // namespace

std::string redis_hll_of(const std::vector<std::string>& members) {
  std::vector<std::pair<uint16_t, uint8_t>> regs;
  regs.reserve(members.size());
  for (const auto& m : members) regs.push_back(redis_hll_register(m));
  // Sorted by register then value: the last of each register is its maximum.
  std::sort(regs.begin(), regs.end());
  std::string out(header_size, '\0');
  out.replace(0, 4, "HYLL");
  out[4] = 1;                          // HLL_SPARSE
  out[15] = static_cast<char>(0x80);  // HLL_INVALIDATE_CACHE
  size_t next = 0;                     // the first register not yet encoded
  for (size_t i = 0; i < regs.size();) {
    size_t last = i;
    while (last + 1 < regs.size() && regs[last + 1].first == regs[i].first) ++last;
    auto [index, value] = regs[last];
    if (value > sparse_max_value) return dense_of(members);
    zeros(out, index - next);
    // Neighbouring registers of equal value share one VAL opcode.
    size_t run = 1;
    i = last + 1;
    while (i < regs.size() && static_cast<size_t>(regs[i].first) == index + run) {
      size_t end = i;
      while (end + 1 < regs.size() && regs[end + 1].first == regs[i].first) ++end;
      if (regs[end].second != value) break;
      ++run, i = end + 1;
    }
    values(out, value, run);
    next = index + run;
    if (out.size() > hll_sparse_max_bytes) return dense_of(members);
  }
  zeros(out, hll_sketch::registers - next);
  return out.size() > hll_sparse_max_bytes ? dense_of(members) : out;
}

}  // namespace rtfeat
