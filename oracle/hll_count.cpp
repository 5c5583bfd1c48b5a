// redis_pfcount: the register histogram and Ertl's estimator, as hyperloglog.c
// computes them (P = 14, Q = 64 - P = 50 bits of rank, alpha_inf = 1 / (2 ln 2)).
// The registers come from the engine's redis_hll_register, which the oracle's
// HyperLogLog comparison already holds equal to Redis's own PFADD.
#include "oracle/hll_count.hpp"

#include <array>
#include <cmath>

#include "oracle/hll_registers.hpp"
#include "runtime/hll_sketch.hpp"

namespace rtfeat::oracle {

namespace {

constexpr int hll_q = 50;
constexpr double hll_alpha_inf = 0.721347520444481703680;

double hll_sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1;
  double z = x;
  double previous = 0;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

double hll_tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1 - x;
  double previous = 0;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (previous != z);
  return z / 3;
}

}  // namespace

uint64_t redis_pfcount(const std::set<std::string>& members) {
  hll_registers registers{};
  for (const auto& m : members) {
    auto [index, rank] = redis_hll_register(m);
    if (registers[index] < rank) registers[index] = rank;
  }
  std::array<int, 64> histogram{};
  for (uint8_t r : registers) ++histogram[r];
  const double m = hll_register_count;
  double z = m * hll_tau((m - histogram[hll_q + 1]) / m);
  for (int j = hll_q; j >= 1; --j) {
    z += histogram[static_cast<size_t>(j)];
    z *= 0.5;
  }
  z += m * hll_sigma(histogram[0] / m);
  return static_cast<uint64_t>(std::llroundl(static_cast<long double>(hll_alpha_inf * m * m / z)));
}

}  // namespace rtfeat::oracle
