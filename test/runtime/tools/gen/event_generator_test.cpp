// event_generator: determinism, the valid/malformed contract with event_parser,
// the requested fractions, and the shape of the traffic (skew, mix, prices, time).
#include "runtime/tools/gen/event_generator.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "runtime/event_parser.hpp"

using namespace rtfeat;

namespace {

std::vector<std::string> lines_of(const gen_config& cfg, int n) {
  event_generator gen(cfg);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(gen.next().text);
  return out;
}

gen_config with_seed(uint64_t seed) {
  gen_config cfg;
  cfg.seed = seed;
  return cfg;
}

}  // namespace

TEST_SUITE("runtime.gen.event_generator") {
  TEST_CASE("the same seed gives the same lines and another seed different ones") {
    const auto a = lines_of(with_seed(7), 20000);
    CHECK(a == lines_of(with_seed(7), 20000));
    const auto b = lines_of(with_seed(8), 20000);
    CHECK(a != b);
    CHECK(std::count(a.begin(), a.end(), std::string{}) == 0);
  }

  TEST_CASE("every malformed line is rejected for its reason and every other one is accepted") {
    gen_config cfg = with_seed(11);
    cfg.malformed = 0.1;  // many of each kind
    event_generator gen(cfg);
    event_parser parser;
    event e;
    std::map<malformed_kind, int> seen;
    for (int i = 0; i < 50000; ++i) {
      const generated_line& line = gen.next();
      REQUIRE(!line.text.empty());
      REQUIRE(line.text.find('\n') == std::string::npos);
      const auto reason = parser.parse(line.text, e);
      if (line.kind != line_kind::malformed) {
        REQUIRE_MESSAGE(!reason, line.text);
        CHECK(line.key == e.user_id);
        continue;
      }
      ++seen[line.malformed];
      REQUIRE_MESSAGE(reason, line.text);
      CHECK_MESSAGE(*reason == expected_reason(line.malformed),
                    to_string(line.malformed) << ": " << line.text.substr(0, 300));
    }
    CHECK(seen.size() == malformed_kind_count);
    for (size_t k = 0; k < malformed_kind_count; ++k)
      CHECK(gen.counts().malformed_by_kind[k] == uint64_t(seen[static_cast<malformed_kind>(k)]));
  }

  TEST_CASE("each line's key is what rtfeat produce extracts from the same line") {
    gen_config cfg = with_seed(13);
    cfg.malformed = 0.2;
    event_generator gen(cfg);
    message_key_extractor keys;
    int keyless = 0;
    for (int i = 0; i < 20000; ++i) {
      const generated_line& line = gen.next();
      const auto key = keys.user_id(line.text);
      REQUIRE(line.key == key.value_or(std::string_view{}));
      keyless += line.key.empty() ? 1 : 0;
    }
    CHECK(keyless > 0);  // truncated, non-object and user_id-less lines have a null key
  }

  TEST_CASE("the fractions of out-of-order, late and malformed lines are as requested") {
    event_generator gen(with_seed(3));
    const int n = 200000;
    for (int i = 0; i < n; ++i) gen.next();
    const gen_counts& c = gen.counts();
    CHECK(c.events == uint64_t(n));
    CHECK(c.valid + c.malformed == c.events);
    CHECK(c.out_of_order / double(n) == doctest::Approx(0.05).epsilon(0.05));
    CHECK(c.late / double(n) == doctest::Approx(0.01).epsilon(0.1));
    CHECK(c.malformed / double(n) == doctest::Approx(0.005).epsilon(0.15));
  }

  TEST_CASE("event time follows the rate, out-of-order within 5 s and late beyond 65 s") {
    event_generator gen(with_seed(5));
    event_parser parser;
    event e;
    for (int i = 0; i < 50000; ++i) {
      const auto& line = gen.next();
      REQUIRE(line.nominal_ts == 1767225600000 + i * 20);  // 50 events per second
      if (line.kind == line_kind::malformed) continue;
      REQUIRE(!parser.parse(line.text, e));
      const int64_t behind = line.nominal_ts - e.ts;
      if (line.kind == line_kind::in_order) CHECK(behind == 0);
      if (line.kind == line_kind::out_of_order) CHECK((behind >= 1 && behind <= 4999));
      if (line.kind == line_kind::late) CHECK((behind > 65000 && behind <= 65000 + 1200000));
    }
  }

  TEST_CASE("the top 1 % of users make most of the traffic but no user dominates") {
    event_generator gen(with_seed(9));
    std::map<std::string, int> per_user;
    const int n = 100000;
    for (int i = 0; i < n; ++i) ++per_user[gen.next().key];
    std::vector<int> counts;
    for (const auto& [user, count] : per_user) counts.push_back(count);
    std::sort(counts.rbegin(), counts.rend());
    int top = 0;
    for (size_t i = 0; i < 1000 && i < counts.size(); ++i) top += counts[i];  // 1 % of 100k users
    CHECK(top / double(n) > 0.5);
    CHECK(counts.front() / double(n) < 0.02);  // no bot-like user (cf. user_zipf_offset)
  }
}
