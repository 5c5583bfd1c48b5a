// The oracle's `_ts` (docs/semantics.md "Freshness") on small hand-made logs:
// newest kept event per owned hash, late events out, a hash left with `_ts`
// alone, and a non-owner writing the hash. Values worked out by hand.
#include <doctest/doctest.h>

#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::oracle::field_map;

namespace {

constexpr int64_t minute = 60'000;
constexpr int64_t hour = 3'600'000;

std::string ts(int64_t v) { return std::to_string(v); }

/// The expected `_ts` of `key`, or "<none>".
std::string ts_of(const rtfeat::oracle::expected_state& s, const std::string& key) {
  auto h = whole_hash(s, key);
  auto f = h.find("_ts");
  return f == h.end() ? "<none>" : f->second;
}

// Owners of u:{u}: `clicks` and `spend` (user scope, lateness 1m and 5m).
// `amount` writes its tier there too but ranks among all users: no owner.
const std::string owners_toml = R"(
[[feature]]
name = "clicks"
entity = "user"
filter = { behavior = ["click"] }
aggregation = "count"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "clicks", ttl = "1800s" }

[[feature]]
name = "spend"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "price"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "5m" }
output = { type = "hash", key = "u:{${user_id}}", field = "spend", ttl = "3600s" }

[[feature]]
name = "amount"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "amount"
window = { type = "sliding", size = "24h", slide = "1h", lateness = "1m" }
output = { type = "string", key = "u:{${user_id}}:amount", ttl = "1d" }
tier = { within = "all", key = "u:{${user_id}}", field = "tier", ttl = "2d" }
)";

}  // namespace

TEST_SUITE("oracle.freshness") {
  TEST_CASE("each owned hash gets the newest event its owners keep") {
    auto s = run_oracle(jsonl({ev("u1", "view", "i1", 7, B), ev("u1", "click", "i1", 7, B + 1000),
                               full("u1", "search", B + 2000), ev("u2", "click", "i2", 7, B + 1500),
                               ev("u2", "view", "i1", 7, B + 3000)}),
                        {"source.partitions=1"});
    CHECK(ts_of(s, "user:feature:{u1}") == ts(B + 2000));  // the search: the funnel keeps it
    CHECK(ts_of(s, "user:feature:{u2}") == ts(B + 3000));
    CHECK(ts_of(s, "item:feature:{i1}") == ts(B + 3000));  // u2's view of i1
    CHECK(ts_of(s, "item:feature:{i2}") == ts(B + 1500));
    CHECK(ts_of(s, "cat:buckets:{7}") == ts(B + 1500));  // clicks only: not the later view
    CHECK(whole_hash(s, "user:seq:{u1}").empty());                // a list: no `_ts`
  }

  TEST_CASE("late events do not count, and a hash whose fields all left keeps its _ts alone") {
    // u2's view moves W_p to B + 2h - 5 s: u1's view at B + 1h is late (dropped).
    auto s = run_oracle(jsonl({ev("u1", "click", "i1", 7, B), ev("u2", "view", "i2", 8, B + 2 * hour),
                               ev("u1", "view", "i1", 7, B + hour), ev("u2", "view", "i2", 8, B + 2 * hour + 10)}),
                        {"source.partitions=1"});
    // W = B + 2h + 10 - 5 s: the click left every window (30 min, 5 + 30 min).
    CHECK(whole_hash(s, "user:feature:{u1}") == field_map{{"_ts", ts(B)}});
    CHECK(whole_hash(s, "item:feature:{i1}") == field_map{{"_ts", ts(B)}});
    CHECK(whole_hash(s, "cat:buckets:{7}") == field_map{{"_ts", ts(B)}});
    CHECK(s.keys.count("cat:buckets:{8}") == 0);  // views only: item_click_rank keeps none
    CHECK(s.ttl_s.at("user:feature:{u1}") == 7 * 86400);  // the key's largest TTL: purchase gaps'
    CHECK(s.ttl_s.at("cat:buckets:{7}") == 1800);
  }

  TEST_CASE("a feature of another scope writing the hash does not move _ts; each owner has its lateness") {
    temp_dir dir;
    auto features = dir.write("features.toml", owners_toml);
    auto s = run_oracle(
      jsonl({full("u1", "purchase", B, R"("item_id":"i1","category_id":3,"amount":20)"),  // `amount` only
             ev("u2", "click", "i1", 3, B),
             ev("u3", "click", "i1", 3, B + 10 * minute),  // W_p = B + 10 min - 5 s
             full("u4", "purchase", B + 7 * minute, R"("item_id":"i1","category_id":3,"price":10)"),  // on time for spend
             ev("u4", "click", "i1", 3, B + 8 * minute)}),  // late for clicks (1 min)
      {"source.partitions=1"}, features);
    CHECK(whole_hash(s, "u:{u1}") == field_map{{"tier", "1"}});
    CHECK(ts_of(s, "u:{u2}") == ts(B));
    CHECK(ts_of(s, "u:{u3}") == ts(B + 10 * minute));
    CHECK(ts_of(s, "u:{u4}") == ts(B + 7 * minute));
    CHECK(s.ttl_s.at("u:{u4}") == 2 * 86400);  // the tier's TTL is the key's largest
  }
}
