// Tests of the oracle's reading of the log: what a line is, lateness at the
// exact boundary, rejected events and partitions vs the final watermark.
// Every expected number is computed by hand in the comments.
#include <doctest/doctest.h>

#include "runtime/murmur2.hpp"
#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::reject_reason;

namespace {

uint64_t rejected(const rtfeat::oracle::expected_state& s, reject_reason r) {
  return s.stats.rejected_by_reason[static_cast<size_t>(r)];
}

// X: a max ts well inside the day; with W = X - 5000 the 30m/5m tail is
// floor((B + 1'000'000 - 5000 + 1 - 1'800'000) / 300'000) * 300'000 = B - 900'000.
constexpr int64_t X = B + 1'000'000;

}  // namespace

TEST_SUITE("oracle.event_log") {
  TEST_CASE("every newline-terminated line and a final unterminated one is a message") {
    auto s = run_oracle("x\n\ny", {"source.partitions=1"});
    CHECK(s.stats.lines == 3);  // "x", "", "y"
    CHECK(s.stats.rejected == 3);
    CHECK(rejected(s, reject_reason::bad_json) == 3);
    CHECK(run_oracle("x\ny\n", {"source.partitions=1"}).stats.lines == 2);
    CHECK(run_oracle("", {"source.partitions=1"}).stats.lines == 0);
  }

  TEST_CASE("nothing is expected when no line is accepted") {
    auto s = run_oracle(jsonl({"{}", "[1]", "nope"}), {"source.partitions=1"});
    CHECK(s.stats.accepted == 0);
    CHECK_FALSE(s.stats.final_watermark.has_value());
    CHECK(s.keys.empty());
  }

  TEST_CASE("an event exactly at the lateness boundary is on time and one ms older is late") {
    // W_p = X - 5000 after the first event; late means ts < X - 5000 - 60000 = X - 65000.
    auto s = run_oracle(jsonl({click("u1", "i1", 7, X), click("u1", "i1", 7, X - 65000),
                               click("u1", "i1", 7, X - 65001)}),
                        {"source.partitions=1"});
    CHECK(s.stats.accepted == 3);
    CHECK(s.stats.late == 1);
    CHECK(s.stats.kept == 2);
    CHECK(s.stats.final_watermark == X - 5000);
    // X - 65001 is inside the window (tail B - 900'000): only lateness drops it.
    CHECK(value(s, "user:feature:{u1}", "cat:7") == "2");
    CHECK(value(s, "item:feature:{i1}", "clicks") == "2");
  }

  TEST_CASE("rejected lines never move a watermark") {
    std::string later = std::to_string(X + 10'000'000);
    auto s = run_oracle(
      jsonl(
        {click("u1", "i1", 7, X),
         R"({"user_id":"u1","behavior":"fly","item_id":"i1","category_id":7,"ts":)" + later + "}",
         click("u1", "i1", 7, 1'900'000'000'000),  // > now + 1 day
         "not json", R"({"user_id":"u1","behavior":"click","ts":)" + later + "}",
         R"({"user_id":"u1","behavior":"click","item_id":"i1","category_id":"7","ts":)" + later
           + "}",
         click("u1", "i1", 7, X - 65000)}),
      {"source.partitions=1"});
    CHECK(s.stats.lines == 7);
    CHECK(s.stats.accepted == 2);
    CHECK(s.stats.rejected == 5);
    CHECK(rejected(s, reject_reason::bad_behavior) == 1);
    CHECK(rejected(s, reject_reason::ts_out_of_range) == 1);
    CHECK(rejected(s, reject_reason::bad_json) == 1);
    CHECK(rejected(s, reject_reason::missing_field) == 1);
    CHECK(rejected(s, reject_reason::wrong_type) == 1);
    // Had a rejected ts moved W_p, X - 65000 would be late and W would be later.
    CHECK(s.stats.late == 0);
    CHECK(s.stats.final_watermark == X - 5000);
    CHECK(value(s, "user:feature:{u1}", "cat:7") == "2");
  }

  TEST_CASE("a partition with only rejected events does not hold the watermark back") {
    REQUIRE(rtfeat::partition_of("a", 2) != rtfeat::partition_of("d", 2));
    auto s = run_oracle(
      jsonl({click("a", "i1", 7, X),
             R"({"user_id":"d","behavior":"click","item_id":"i2","category_id":"8","ts":)"
               + std::to_string(X - 500'000) + "}"}),
      {"source.partitions=2"});
    CHECK(s.stats.rejected == 1);
    CHECK(s.stats.final_watermark == X - 5000);
    CHECK(s.keys.count("user:feature:{d}") == 0);
    CHECK(value(s, "user:feature:{a}", "cat:7") == "1");
  }

  TEST_CASE(
    "with two partitions the final watermark is the minimum and lateness is per partition") {
    REQUIRE(rtfeat::partition_of("a", 2) != rtfeat::partition_of("d", 2));
    // W_a = B + 2'995'000, W_d = Y - 5000 = B + 1'799'999 -> W = B + 1'799'999, tail = B.
    constexpr int64_t Y = B + 1'804'999;
    auto s = run_oracle(jsonl({click("a", "i1", 7, B - 1), click("a", "i1", 7, B),
                               click("a", "i1", 7, B + 3'000'000), click("d", "i2", 8, Y)}),
                        {"source.partitions=2"});
    // Y < W_a - 60000 but d's own partition has no watermark yet: not late.
    CHECK(s.stats.late == 0);
    CHECK(s.stats.kept == 4);
    CHECK(s.stats.final_watermark == B + 1'799'999);
    CHECK(value(s, "user:feature:{a}", "cat:7") == "2");  // B and B + 3'000'000; B - 1 is out
    CHECK(value(s, "user:feature:{d}", "cat:8") == "1");
    CHECK(value(s, "item:feature:{i1}", "clicks") == "2");
  }

  TEST_CASE("with max_future_skew_ms a lone event far ahead is future_ts and does not poison W_p") {
    // F = 600000. After X, W_p = X - 5000; X + 12 h > W_p + F: refused, W_p stays,
    // so X - 65000 is on time. Without F it moves W_p and X - 65000 is late.
    constexpr int64_t H12 = 12 * 3'600'000;
    auto log = jsonl({click("u1", "i1", 7, X), click("u1", "i1", 7, X + H12), click("u1", "i1", 7, X - 65000)});
    auto guarded = run_oracle(log, {"source.partitions=1", "watermark.max_future_skew_ms=600000"});
    CHECK(rejected(guarded, reject_reason::future_ts) == 1);
    CHECK(guarded.stats.rejected == 1);
    CHECK(guarded.stats.accepted == 2);
    CHECK(guarded.stats.late == 0);
    CHECK(guarded.stats.final_watermark == X - 5000);
    CHECK(value(guarded, "user:feature:{u1}", "cat:7") == "2");
    auto poisoned = run_oracle(log, {"source.partitions=1"});
    CHECK(rejected(poisoned, reject_reason::future_ts) == 0);
    CHECK(poisoned.stats.late == 1);
    CHECK(poisoned.stats.final_watermark == X + H12 - 5000);
  }

  TEST_CASE("with max_future_skew_ms two events within F of each other are a real jump") {
    // Y - (X - 5000) > F: Y is refused and held; Y + F agrees (|diff| == F) and moves W_p.
    constexpr int64_t Y = X + 3'600'000;
    auto s = run_oracle(jsonl({click("u1", "i1", 7, X), click("u1", "i1", 7, Y),
                               click("u1", "i1", 7, Y + 600'000)}),
                        {"source.partitions=1", "watermark.max_future_skew_ms=600000"});
    CHECK(rejected(s, reject_reason::future_ts) == 1);
    CHECK(s.stats.kept == 2);
    CHECK(s.stats.final_watermark == Y + 600'000 - 5000);
  }

}  // TEST_SUITE
