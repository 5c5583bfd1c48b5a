// make_malformed: each kind, applied to view, purchase and search lines, is
// rejected by event_parser for the reason expected_reason names.
#include "runtime/tools/gen/malformed_events.hpp"

#include <random>
#include <string>

#include <doctest/doctest.h>

#include "runtime/event_parser.hpp"

using namespace rtfeat;

namespace {

const std::string valid_lines[] = {
  R"({"user_id":"u42","behavior":"view","item_id":"i9","category_id":17,"ts":1767225600123,"price":59.9,"region":"hz"})",
  R"({"user_id":"u7","behavior":"purchase","item_id":"i1","category_id":3,"ts":1767225600000,"price":12.5,"amount":25,"region":"sh","campaign_id":"c2"})",
  R"({"user_id":"u1","behavior":"search","ts":1767225601000,"region":"bj","query":"red shoes"})",
};

}  // namespace

TEST_SUITE("runtime.gen.malformed_events") {
  TEST_CASE("the sample lines are valid to begin with") {
    event_parser parser;
    event e;
    for (const auto& line : valid_lines) CHECK(!parser.parse(line, e));
  }

  TEST_CASE("every kind of malformed line is rejected for its expected reason") {
    event_parser parser;
    event e;
    std::mt19937_64 rng(1);
    for (size_t k = 0; k < malformed_kind_count; ++k) {
      const auto kind = static_cast<malformed_kind>(k);
      for (const auto& valid : valid_lines) {
        for (int round = 0; round < 50; ++round) {
          std::string line = valid;
          make_malformed(kind, line, rng);
          const auto reason = parser.parse(line, e);
          REQUIRE_MESSAGE(reason, to_string(kind) << ": " << line.substr(0, 200));
          CHECK_MESSAGE(*reason == expected_reason(kind), to_string(kind)
                                                            << ": " << line.substr(0, 200));
          CHECK(!line.empty());
        }
      }
    }
  }

  TEST_CASE("oversize lines are just above 64 KiB") {
    std::mt19937_64 rng(2);
    for (int i = 0; i < 100; ++i) {
      std::string line = valid_lines[i % 3];
      make_malformed(malformed_kind::oversize, line, rng);
      CHECK(line.size() > max_event_bytes);
      CHECK(line.size() <= 68 * 1024);
    }
  }

  TEST_CASE("a truncated line is every byte of the valid one up to where it stops") {
    std::mt19937_64 rng(3);
    std::string line = valid_lines[0];
    make_malformed(malformed_kind::truncated_json, line, rng);
    CHECK(line.size() < valid_lines[0].size());
    CHECK(valid_lines[0].compare(0, line.size(), line) == 0);
  }
}
