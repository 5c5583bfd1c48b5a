// The traffic event_generator produces looks like a shop's: the behaviour mix,
// every price band of feature 5 used, fixed item attributes, purchases with amounts.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/event_generator.hpp"

using namespace rtfeat;

namespace {

struct traffic_stats {
  int valid = 0, no_price = 0, item_events = 0, with_campaign = 0;
  std::map<behavior, int> by_behavior;
  std::map<int, int> by_price_band;
  std::set<std::string> regions;
  std::map<std::string, std::pair<int64_t, double>> item_attributes;  // item -> category, price
  bool items_stable = true, amounts_ok = true, search_ok = true;
};

int price_band(double price) {
  const double edges[] = {50, 100, 200, 500, 1000};
  int band = 0;
  while (band < 5 && price >= edges[band]) ++band;
  return band;
}

void add(traffic_stats& s, const event& e) {
  ++s.valid;
  ++s.by_behavior[e.kind];
  s.regions.insert(e.region);
  s.with_campaign += e.campaign_id.empty() ? 0 : 1;
  if (e.kind == behavior::search) {
    s.search_ok = s.search_ok && e.item_id.empty() && !e.has_category && !e.has_price;
    return;
  }
  ++s.item_events;
  if (!e.has_price) {
    ++s.no_price;
    return;
  }
  ++s.by_price_band[price_band(e.price)];
  auto [it, fresh] = s.item_attributes.try_emplace(e.item_id, e.category_id, e.price);
  s.items_stable =
    s.items_stable && (fresh || it->second == std::make_pair(e.category_id, e.price));
  if (e.kind == behavior::purchase) {
    const double quantity = e.amount / e.price;
    s.amounts_ok = s.amounts_ok && e.has_amount && quantity >= 1 && quantity <= 5
                   && std::fabs(quantity - std::round(quantity)) < 1e-9;
  }
}

}  // namespace

TEST_SUITE("runtime.gen.traffic_shape") {
  TEST_CASE("behaviours, prices, regions and campaigns are mixed like a shop's traffic") {
    gen_config cfg;
    cfg.seed = 21;
    event_generator gen(cfg);
    event_parser parser;
    event e;
    traffic_stats s;
    for (int i = 0; i < 100000; ++i) {
      const auto& line = gen.next();
      if (line.kind != line_kind::malformed && !parser.parse(line.text, e)) add(s, e);
    }
    const double n = s.valid;
    CHECK(s.by_behavior[behavior::view] / n == doctest::Approx(0.50).epsilon(0.03));
    CHECK(s.by_behavior[behavior::click] / n == doctest::Approx(0.25).epsilon(0.03));
    CHECK(s.by_behavior[behavior::cart] / n == doctest::Approx(0.08).epsilon(0.05));
    CHECK(s.by_behavior[behavior::fav] / n == doctest::Approx(0.04).epsilon(0.08));
    CHECK(s.by_behavior[behavior::purchase] / n == doctest::Approx(0.03).epsilon(0.08));
    CHECK(s.by_behavior[behavior::search] / n == doctest::Approx(0.10).epsilon(0.05));
    for (int band = 0; band < 6; ++band) CHECK_MESSAGE(s.by_price_band[band] > 1000, band);
    CHECK(s.no_price / double(s.item_events) == doctest::Approx(0.05 * 0.97).epsilon(0.1));
    CHECK(s.with_campaign / n == doctest::Approx(0.30).epsilon(0.03));
    CHECK(s.regions.size() == 8);
    CHECK(s.items_stable);
    CHECK(s.amounts_ok);
    CHECK(s.search_ok);
  }

  TEST_CASE("category ids stay within the configured count") {
    gen_config cfg;
    cfg.categories = 5;
    cfg.malformed = 0;
    event_generator gen(cfg);
    event_parser parser;
    event e;
    std::set<int64_t> categories;
    for (int i = 0; i < 20000; ++i)
      if (!parser.parse(gen.next().text, e) && e.has_category) categories.insert(e.category_id);
    CHECK(categories == std::set<int64_t>{1, 2, 3, 4, 5});
  }
}
