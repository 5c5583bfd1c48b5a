// Throughput of the checkpoint store on this machine: 128 key groups, 100 MiB in
// total, written with fsync (1 and 4 writer threads), then verified and read back.
// Skipped by default; run: rtfeat_unit_tests -ts='runtime.checkpoint.timing' --no-skip
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/crc32c.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/restorable.hpp"

using namespace rtfeat;

namespace {

constexpr uint32_t groups = 128;
constexpr size_t body_bytes = 100 * 1024 * 1024 / groups;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string make_body(uint32_t seed) {
  std::string b(body_bytes, '\0');
  uint64_t x = 0x9E3779B97F4A7C15ull * (seed + 1);
  for (auto& c : b) x ^= x << 13, x ^= x >> 7, x ^= x << 17, c = static_cast<char>(x);
  return b;
}

checkpoint_manifest write_all(const checkpoint_store& s, uint64_t id,
                              const std::vector<std::string>& bodies, uint32_t threads) {
  checkpoint_manifest m;
  m.id = id;
  m.catalogue_hash = 1;
  m.snapshots.resize(groups);
  std::vector<std::thread> pool;
  for (uint32_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (uint32_t kg = t; kg < groups; kg += threads)
        if (!s.write_snapshot(id, 1, kg, bodies[kg], m.snapshots[kg])) std::abort();
    });
  for (auto& th : pool) th.join();
  return m;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.timing") {
  TEST_CASE("128 snapshots of 100 MiB in total are written, verified and read back"
            * doctest::skip()) {
    test::temp_dir dir;
    std::string error, warning;
    auto opened = checkpoint_store::open(dir.path(), open_mode::create);
    REQUIRE_MESSAGE(opened, opened.error());
    auto s = std::move(*opened);
    std::vector<std::string> bodies;
    for (uint32_t kg = 0; kg < groups; ++kg) bodies.push_back(make_body(kg));
    auto t0 = std::chrono::steady_clock::now();
    uint32_t crc = crc32c_extend_portable(0, bodies[0].data(), body_bytes);
    const double table_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    CHECK(crc32c(bodies[0]) == crc);
    const double hw_s = seconds_since(t0);
    std::printf("crc32c: table %.0f MiB/s, %s %.0f MiB/s\n", body_bytes / 1048576.0 / table_s,
                crc32c_is_hardware() ? "sse4.2" : "table", body_bytes / 1048576.0 / hw_s);
    for (uint32_t threads : {1u, 4u}) {
      const uint64_t id = threads;
      t0 = std::chrono::steady_clock::now();
      auto m = write_all(*s, id, bodies, threads);
      const double write_s = seconds_since(t0);
      t0 = std::chrono::steady_clock::now();
      REQUIRE(s->commit(m, 3, warning));
      const double commit_s = seconds_since(t0);
      std::vector<std::string> log;
      t0 = std::chrono::steady_clock::now();
      auto r = test::restorable(*s, std::nullopt, log, error);
      const double verify_s = seconds_since(t0);
      REQUIRE_MESSAGE(r, error);
      t0 = std::chrono::steady_clock::now();
      std::string body;
      for (uint32_t kg = 0; kg < groups; ++kg) REQUIRE(s->read_snapshot(*r, kg, body));
      const double read_s = seconds_since(t0);
      std::printf(
        "%u writer thread(s): write+fsync %.3f s (%.0f MiB/s), commit %.4f s, "
        "find_restorable %.3f s, read_snapshot x128 %.3f s\n",
        threads, write_s, 100 / write_s, commit_s, verify_s, read_s);
    }
  }
}
