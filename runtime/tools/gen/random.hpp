// Deterministic random helpers over std::mt19937_64. The std::*_distribution
// algorithms are implementation-defined, so `rtfeat gen` uses only these: one
// seed gives byte-identical output on every build for this platform.
#pragma once

#include <cstdint>
#include <random>

namespace rtfeat {

/// Uniform double in [0, 1) from the top 53 bits of one draw.
inline double uniform_unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Uniform integer in [lo, hi] (modulo bias below (hi - lo) / 2^64).
/// REQUIRES: lo <= hi.
inline int64_t uniform_int(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  const uint64_t draw = span == 0 ? rng() : rng() % span;
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + draw);
}

/// True with probability p.
inline bool chance(std::mt19937_64& rng, double p) { return uniform_unit(rng) < p; }

/// splitmix64 finalizer: a stateless hash for fixed per-entity attributes.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace rtfeat
