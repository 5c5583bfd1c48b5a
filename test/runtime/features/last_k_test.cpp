// last_k: the browsed-categories list (#2) and the session timeline zset (#10).
#include <doctest/doctest.h>

#include <cstdio>
#include <map>

#include "runtime/features/last_k.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {
constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;
}  // namespace

TEST_SUITE("runtime.last_k") {
  TEST_CASE("the list holds the categories of the newest views, newest first, ties in log order") {
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_browsed_categories"));
    f.add(click("u", "i1", 1, t0 + 5, -1, behavior::view), no_watermark, 1);
    f.add(click("u", "i2", 2, t0 + 9, -1, behavior::view), no_watermark, 2);
    f.add(click("u", "i3", 3, t0 + 5, -1, behavior::view), no_watermark, 3);  // same ts, later in log
    f.add(click("u", "i4", 4, t0 + 1, -1, behavior::view), no_watermark, 4);  // out of order
    f.add(click("u", "i5", 5, t0 + 20, -1, behavior::click), no_watermark, 5);  // not a view
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "user:seq:{u}");
    CHECK(out[0].type == redis_type::list);
    CHECK(out[0].values == std::vector<std::string>{"2", "3", "1", "4"});
  }
  TEST_CASE("the list keeps only the k = 20 newest and shrinks as the window slides") {
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_browsed_categories"));
    for (int i = 0; i < 25; ++i) f.add(click("u", "i", i, t0 + i * min / 5, -1, behavior::view), no_watermark, static_cast<uint64_t>(i));
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out[0].values.size() == 20);
    CHECK(out[0].values.front() == "24");
    CHECK(out[0].values.back() == "5");
    // 10 min / 1 min: tail = t0 + 1 min leaves events 0..4, already pushed out by the cap.
    f.advance(t0 + 11 * min - 1);
    out.clear();
    f.flush(out);
    CHECK(out.empty());
    // tail = t0 + 2 min: events 5..9 (ts < t0 + 2 min) leave.
    f.advance(t0 + 12 * min - 1);
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].values.size() == 15);
    CHECK(out[0].values.back() == "10");
  }
  TEST_CASE("the timeline scores each member with its newest ts and drops members that leave") {
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_session_timeline"));
    f.add(click("u", "i1", 1, t0 + 1000), no_watermark, 1);
    f.add(click("u", "i1", 1, t0 + 3000), no_watermark, 2);
    f.add(click("u", "i2", 1, t0 + 6 * min, -1, behavior::cart), no_watermark, 3);
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == redis_type::zset);
    std::map<std::string, std::string> z(out[0].set.begin(), out[0].set.end());
    CHECK(z == std::map<std::string, std::string>{{"click:i1", "1767225603000"}, {"cart:i2", "1767225960000"}});
    f.advance(t0 + 65 * min - 1);  // 1 h / 5 min: tail = t0 + 5 min
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].set.empty());
    CHECK(out[0].del == std::vector<std::string>{"click:i1"});
  }
  TEST_CASE("the timeline keeps one entry per member and only the k = 100 best, ties dropping the larger member") {
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_session_timeline"));
    uint64_t seq = 0;
    for (int i = 1; i <= 100; ++i) {
      char item[8];
      std::snprintf(item, sizeof item, "i%03d", i);
      f.add(click("u", item, 1, t0 + i * 1000), no_watermark, ++seq);
    }
    f.add(click("u", "i001", 1, t0 + 500), no_watermark, ++seq);     // older than its entry: ignored
    f.add(click("u", "zz", 1, t0 + 1000), no_watermark, ++seq);      // ties the weakest score (i001): the larger member goes
    f.add(click("u", "a0", 1, t0 + 1000), no_watermark, ++seq);      // ties again: click:a0 < click:i001, i001 goes
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    std::map<std::string, std::string> z(out[0].set.begin(), out[0].set.end());
    CHECK(z.size() == 100);
    CHECK(z.count("click:zz") == 0);
    CHECK(z.count("click:i001") == 0);
    CHECK(z["click:a0"] == "1767225601000");
    CHECK(z["click:i100"] == "1767225700000");
  }
  TEST_CASE("a timeline is replaced on its first write of the run only: later it is written as a diff") {
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_session_timeline"));
    f.add(click("u", "i1", 1, t0), no_watermark, 1);
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].replace);  // whatever a crashed run left under the key goes
    f.advance(t0 + 65 * min - 1);  // tail = t0 + 5 min: the member leaves, the key empties
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].del == std::vector<std::string>{"click:i1"});
    CHECK(f.entities() == 0);
    f.add(click("u", "i2", 1, t0 + 66 * min), no_watermark, 2);  // back: the key is known empty
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK_FALSE(out[0].replace);
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"click:i2", std::to_string(t0 + 66 * min)}});
  }
  TEST_CASE("a snapshot entry with a timestamp near INT64_MIN is refused, not bucketed") {
    // test/fuzz/snapshot_decoder_fuzz: bucket_of(ts) overflowed int64 (UBSan) in load().
    auto plan = test::default_plan();
    last_k f(test::feature(plan, "user_browsed_categories"));
    state_writer w;
    w.str("u1").str("user:seq:{u1}").u64(1).i64(INT64_MIN + 5).u64(1).str("7");
    state_reader r(w.bytes());
    CHECK_FALSE(f.load(r));
  }
}
