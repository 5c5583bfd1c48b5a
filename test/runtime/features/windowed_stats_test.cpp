// Windowed counts: features #1 and #5 of the default catalogue, without actors.
#include <doctest/doctest.h>

#include <map>

#include "runtime/features/windowed_stats.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {

constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;  // a slide edge (multiple of 5 min)

using redis_map = std::map<std::string, std::map<std::string, std::string>>;

/// Both user features of the catalogue, driven together like a user shard does.
struct user_shard {
  feature_plan plan = test::default_plan();
  windowed_stats cats{test::feature(plan, "user_category_clicks")};
  windowed_stats bands{test::feature(plan, "user_price_band_clicks")};
  void add(const event& e, int64_t wm) { cats.add(e, wm, 0), bands.add(e, wm, 0); }
  void advance(int64_t w) { cats.advance(w), bands.advance(w); }
  void flush(std::vector<key_update>& out) { cats.flush(out), bands.flush(out); }
  size_t users() const { return cats.entities() + bands.entities(); }
};


}  // namespace

TEST_SUITE("runtime.user_features") {
  TEST_CASE("clicks count per category and per price band in one user hash") {
    user_shard f;
    f.add(click("u1", "i1", 3, t0, 59.9), no_watermark);
    f.add(click("u1", "i2", 3, t0 + 1, 50), no_watermark);
    f.add(click("u1", "i3", 4, t0 + 2, 1000), no_watermark);
    f.add(click("u1", "i4", 4, t0 + 3), no_watermark);  // no price: no band
    redis_map redis;
    test::flush_into(redis, f);
    auto& h = redis["user:feature:{u1}"];
    CHECK(h["cat:3"] == "2");
    CHECK(h["cat:4"] == "2");
    CHECK(h["price:50-100"] == "2");
    CHECK(h["price:1000-inf"] == "1");
    CHECK(h.size() == 4);
  }
  TEST_CASE("non-click behaviours are not counted") {
    user_shard f;
    auto e = click("u1", "i1", 3, t0, 10);
    e.kind = behavior::view;
    f.add(e, no_watermark);
    std::vector<key_update> out;
    f.flush(out);
    CHECK(out.empty());
  }
  TEST_CASE("a field is deleted when its last slide leaves the window") {
    user_shard f;
    f.add(click("u1", "i1", 3, t0, 10), no_watermark);
    f.add(click("u1", "i1", 5, t0 + 5 * min, 10), no_watermark);
    redis_map redis;
    test::flush_into(redis, f);
    // tail(W) = t0 + 5 min once W + 1 - 30 min >= t0 + 5 min.
    f.advance(t0 + 35 * min - 2);
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u1}"]["cat:3"] == "1");
    f.advance(t0 + 35 * min - 1);
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u1}"].count("cat:3") == 0);
    CHECK(redis["user:feature:{u1}"]["cat:5"] == "1");
    CHECK(redis["user:feature:{u1}"]["price:0-50"] == "1");
    f.advance(t0 + 40 * min - 1);
    test::flush_into(redis, f);
    CHECK(redis.count("user:feature:{u1}") == 0);
    CHECK(f.users() == 0);
  }
  TEST_CASE("an event older than the tail when it arrives is outside the window") {
    user_shard f;
    f.advance(t0 + 35 * min - 1);  // tail = t0 + 5 min
    f.add(click("u1", "i1", 3, t0 + 5 * min - 1, 10), no_watermark);
    f.add(click("u1", "i1", 3, t0 + 5 * min, 10), no_watermark);
    redis_map redis;
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u1}"]["cat:3"] == "1");
  }
  TEST_CASE("only fields that changed since the last flush are written") {
    user_shard f;
    f.add(click("u1", "i1", 3, t0, 10), no_watermark);
    std::vector<key_update> out;
    f.flush(out);
    out.clear();
    f.add(click("u1", "i1", 4, t0 + 1), no_watermark);
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"cat:4", "1"}});
    CHECK(out[0].ttl_s == 7 * 24 * 3600);  // the key's largest TTL: purchase gaps keep 7 days
  }
  TEST_CASE("a snapshot whose bucket count exceeds its bytes is refused, not reserved") {
    // test/fuzz/snapshot_decoder_fuzz: reserve(count) threw length_error (or took all memory).
    auto plan = test::default_plan();
    windowed_stats s{test::feature(plan, "user_category_clicks")};
    state_writer w;
    w.str("u1").str("user:feature:{u1}").u64(1).str("cat:7").u64(uint64_t{1} << 62).i64(t0);
    state_reader r(w.bytes());
    CHECK_FALSE(s.load(r));
  }
}
