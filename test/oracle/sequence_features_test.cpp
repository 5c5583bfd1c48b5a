// Tests of the default catalogue's sequences: the browsed-categories list
// (SPEC §3 #2), the session sorted set (#10) and the purchase gaps (#3), with
// window edges, equal timestamps and short histories. Values worked out by hand.
#include <doctest/doctest.h>

#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::oracle::field_map;

namespace {

// Max ts T gives W = B + 1'799'999: the 10m/1m tail is B + 1'200'000 and the
// 1h/5m tail is floor((B - 1'800'000) / 300'000) * 300'000 = B - 1'800'000.
constexpr int64_t T = B + 1'804'999;

std::string view(const std::string& user, int64_t category, int64_t ts) {
  return ev(user, "view", "i" + std::to_string(category), category, ts);
}

std::string purchase(const std::string& user, int64_t ts) {
  return ev(user, "purchase", "i1", 7, ts, 10);
}

using scores = std::map<std::string, int64_t>;
using strings = std::vector<std::string>;

}  // namespace

TEST_SUITE("oracle.sequences") {
  TEST_CASE("browsed categories are newest first and equal ts keep the later line first") {
    auto s = run_oracle(jsonl({view("u1", 4, B + 1'199'999), view("u1", 5, B + 1'200'000),
                               view("u1", 9, T - 1), view("u1", 1, T), view("u1", 2, T),
                               view("u1", 3, T), view("u1", 7, T - 2),  // out of order
                               ev("u1", "click", "i8", 8, T)}),         // not a view
                        {"source.partitions=1"});
    CHECK(list(s, "user:seq:{u1}") == strings{"3", "2", "1", "9", "7", "5"});
    CHECK(s.ttl_s.at("user:seq:{u1}") == 600);
  }

  TEST_CASE("browsed categories keep the 20 newest views and duplicates") {
    std::vector<std::string> lines;
    for (int i = 0; i < 22; ++i) lines.push_back(view("u2", 100 + i, T - 21 + i));
    lines.push_back(view("u2", 121, T));  // category 121 twice
    auto s = run_oracle(jsonl(lines), {"source.partitions=1"});
    strings want{"121", "121"};
    for (int c = 120; c >= 103; --c) want.push_back(std::to_string(c));
    CHECK(list(s, "user:seq:{u2}") == want);
  }

  TEST_CASE("the session keeps each member's newest ts inside the hour") {
    auto s = run_oracle(
      jsonl({ev("u1", "click", "gone", 7, B - 1'800'001),
             ev("u1", "click", "edge", 7, B - 1'800'000), ev("u1", "click", "i1", 7, T - 10),
             ev("u1", "click", "i1", 7, T - 20), ev("u1", "cart", "i1", 7, T - 30),
             full("u1", "search", T, R"("item_id":"i9")")}),  // not in the filter
      {"source.partitions=1"});
    CHECK(zset(s, "user:session:{u1}")
          == scores{{"click:edge", B - 1'800'000}, {"click:i1", T - 10}, {"cart:i1", T - 30}});
    CHECK(s.ttl_s.at("user:session:{u1}") == 3600);
  }

  TEST_CASE("the session keeps 100 members and equal scores keep the smaller member") {
    std::vector<std::string> lines;
    for (int i = 0; i <= 100; ++i) {
      std::string item = std::to_string(1000 + i);  // equal widths: string order = number order
      lines.push_back(ev("u1", "view", "i" + item, 7, T));
    }
    lines.push_back(ev("u1", "click", "i0", 7, T - 1));
    auto z = zset(run_oracle(jsonl(lines), {"source.partitions=1"}), "user:session:{u1}");
    // 102 members: the 101 views at T win over click:i0; among them view:i1100 is largest.
    CHECK(z.size() == 100);
    CHECK(z.count("view:i1000") == 1);
    CHECK(z.count("view:i1099") == 1);
    CHECK(z.count("view:i1100") == 0);
    CHECK(z.count("click:i0") == 0);
  }

  TEST_CASE("purchase gaps are the newest first, in seconds, for fewer purchases too") {
    auto s = run_oracle(
      jsonl({purchase("five", T - 90'000'000),  // first in the log, so not late
             purchase("one", T), purchase("two", T - 1500), purchase("two", T),
             purchase("three", T - 61'001), purchase("three", T), purchase("three", T - 1),
             purchase("five", T - 4000), purchase("five", T - 2000), purchase("five", T - 2000),
             purchase("five", T), ev("five", "cart", "i1", 7, T)}),
      {"source.partitions=1"});
    CHECK(hash(s, "user:feature:{one}").empty());
    CHECK(hash(s, "user:feature:{two}") == field_map{{"purchase_gap_1", "1.5000"}});
    // Sorted: T - 61'001, T - 1 (arrived out of order), T.
    CHECK(hash(s, "user:feature:{three}")
          == field_map{{"purchase_gap_1", "0.0010"}, {"purchase_gap_2", "61.0000"}});
    // Unbounded: the purchase 25 h back counts, but only the 3 newest gaps are written.
    CHECK(hash(s, "user:feature:{five}")
          == field_map{{"purchase_gap_1", "2.0000"},
                       {"purchase_gap_2", "0.0000"},
                       {"purchase_gap_3", "2.0000"}});
    CHECK(s.ttl_s.at("user:feature:{five}") == 604800);
  }

}  // TEST_SUITE
