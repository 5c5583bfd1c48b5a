// HLL strings built from members: the registers PFADD would set, in the
// encoding Redis would keep.
#include <doctest/doctest.h>

#include "oracle/hll_registers.hpp"
#include "runtime/hll_sketch.hpp"
#include "runtime/redis/hll_string.hpp"

using namespace rtfeat;

namespace {

std::vector<std::string> users(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("u" + std::to_string(i * 7919));
  return out;
}

/// The registers hll_sketch (Redis's own algorithm) gives `members`.
oracle::hll_registers expected(const std::vector<std::string>& members) {
  hll_sketch s;
  for (const auto& m : members) s.add(m);
  oracle::hll_registers regs{};
  for (size_t i = 0; i < regs.size(); ++i) regs[i] = s.at(i);
  return regs;
}

}  // namespace

TEST_SUITE("runtime.redis.hll_string") {
  TEST_CASE("a small set is sparse and holds the registers PFADD would set") {
    for (size_t n : std::initializer_list<size_t>{1, 2, 50, 400}) {
      auto members = users(n);
      members.push_back(members.front());  // a member twice counts once
      auto bytes = redis_hll_of(members);
      CAPTURE(n);
      CHECK(bytes.substr(0, 4) == "HYLL");
      CHECK(bytes[4] == 1);
      CHECK(bytes.size() <= hll_sparse_max_bytes);
      auto regs = oracle::decode_hll(bytes);
      REQUIRE(regs.has_value());
      CHECK(*regs == expected(members));
    }
  }
  TEST_CASE("no member is an empty sparse HLL of 16384 zero registers") {
    auto regs = oracle::decode_hll(redis_hll_of({}));
    REQUIRE(regs.has_value());
    CHECK(*regs == oracle::hll_registers{});
  }
  TEST_CASE("a set too large for the sparse encoding is dense, as Redis would promote it") {
    auto members = users(20000);
    auto bytes = redis_hll_of(members);
    CHECK(bytes[4] == 0);
    auto regs = oracle::decode_hll(bytes);
    REQUIRE(regs.has_value());
    CHECK(*regs == expected(members));
  }
}
