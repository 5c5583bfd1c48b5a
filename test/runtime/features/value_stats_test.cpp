// sum / avg / min / max of a value over a tumbling window, grouped, with the
// exact decimal rules of docs/semantics.md (a catalogue made for the test).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "runtime/features/windowed_stats.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {

constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;

feature_plan plan_for(const std::string& aggregation) {
  auto path = std::filesystem::temp_directory_path() / ("rtfeat_value_stats_" + aggregation + ".toml");
  std::ofstream(path) << "[[feature]]\nname = \"f\"\nentity = \"item\"\naggregation = \"" << aggregation
                      << "\"\nvalue = \"price\"\ngroup_by = \"region\"\n"
                         "window = { type = \"tumbling\", size = \"10m\", lateness = \"1m\" }\n"
                         "output = { key = \"item:{${item_id}}\", field = \"" << aggregation << ":${region}\" }\n";
  feature_catalogue c;
  std::string error;
  if (!load_feature_catalogue(path.string(), c, error)) throw std::runtime_error(error);
  return build_feature_plan(c);
}

std::map<std::string, std::string> run(const std::string& aggregation, int64_t advance_to) {
  auto plan = plan_for(aggregation);
  windowed_stats f(plan.features[0]);
  auto add = [&](int64_t ts, double price, const char* region, int64_t wm = no_watermark) {
    auto e = click("u", "i1", 1, ts, price);
    e.region = region;
    f.add(e, wm, 0);
  };
  add(t0 + 1, 0.1, "hz");
  add(t0 + 2, 0.2, "hz");
  add(t0 + 10 * min, 5, "hz");
  add(t0 + 3, 7, "bj");
  add(t0 + 4, 1, "bj", t0 + 4 + 60001);  // read when W_p was more than the 1 min lateness ahead: ignored
  add(t0 + 5, 2, "");                     // no region: no group
  if (advance_to != no_watermark) f.advance(advance_to);
  std::vector<key_update> out;
  f.flush(out);
  std::map<std::string, std::map<std::string, std::string>> redis;
  test::apply_updates(redis, out);
  return redis["item:{i1}"];
}

}  // namespace

TEST_SUITE("runtime.value_stats") {
  TEST_CASE("sum adds exact decimals per group") {
    auto h = run("sum", no_watermark);
    CHECK(h["sum:hz"] == "5.3000");  // 0.1 + 0.2 + 5, exactly
    CHECK(h["sum:bj"] == "7.0000");
    CHECK(h.size() == 2);
  }
  TEST_CASE("avg is one division of the exact sum by the count") {
    CHECK(run("avg", no_watermark)["avg:hz"] == "1.7667");
  }
  TEST_CASE("sum, avg, min and max of prices past int64 units are exact") {
    auto plan = plan_for("sum");
    windowed_stats f(plan.features[0]);
    for (double price : {1e18, 1e18, 9.99e17, 0.0001}) {
      auto e = click("u", "i1", 1, t0 + 1, price);
      e.region = "hz";
      f.add(e, no_watermark, 0);
    }
    std::vector<key_update> out;
    f.flush(out);
    std::map<std::string, std::map<std::string, std::string>> redis;
    test::apply_updates(redis, out);
    CHECK(redis["item:{i1}"]["sum:hz"] == "2999000000000000000.0001");
    auto one = [](const std::string& aggregation) {
      auto p = plan_for(aggregation);
      windowed_stats g(p.features[0]);
      for (double price : {-1e18, 6e14, 1e18}) {
        auto e = click("u", "i1", 1, t0 + 1);
        e.price = price, e.has_price = true;  // click() takes a negative price for "none"
        e.region = "hz";
        g.add(e, no_watermark, 0);
      }
      std::vector<key_update> o;
      g.flush(o);
      std::map<std::string, std::map<std::string, std::string>> r;
      test::apply_updates(r, o);
      return r["item:{i1}"][aggregation + ":hz"];
    };
    CHECK(one("min") == "-1000000000000000000.0000");
    CHECK(one("max") == "1000000000000000000.0000");
    CHECK(one("avg") == "200000000000000.0000");  // one double division of 6e18 units by 3e4
  }
  TEST_CASE("min and max keep their extremes and drop them with the window") {
    CHECK(run("min", no_watermark)["min:hz"] == "0.1000");
    CHECK(run("max", no_watermark)["max:hz"] == "5.0000");
    // Tumbling 10 min = sliding 10/10: at W = t0 + 20 min - 1 the tail is t0 + 10 min.
    auto h = run("min", t0 + 20 * min - 1);
    CHECK(h["min:hz"] == "5.0000");
    CHECK(h.count("min:bj") == 0);
  }
}
