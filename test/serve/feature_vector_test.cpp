// The feature vector of one (user, item) pair against a hand-written lookup:
// values where present, defaults and the absent list where not, indices read from
// the offline row, len() of sequences.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <tuple>

#include "config/model_config.hpp"
#include "serve/model/feature_vector.hpp"

using namespace rtfeat;

namespace {

/// Lookups served from maps; every feature() call is recorded.
class fake_inputs final : public vector_inputs {
public:
  std::map<std::tuple<model_entity, std::string, std::string, std::string>, double>
    features;  // (entity, name, sub, index)
  std::map<std::pair<model_entity, std::string>, uint64_t> lengths;
  std::map<std::pair<model_entity, std::string>, std::string> offline_cells;
  std::map<std::string, double> context_values;
  mutable std::vector<std::string> fields_asked;  // feature_ref::field of each call
  mutable std::vector<std::string> keys_asked;

  std::optional<double> feature(const feature_ref& ref) const override {
    fields_asked.emplace_back(ref.field);
    keys_asked.emplace_back(ref.key);
    auto it = features.find(
      {ref.entity, std::string(ref.feature), std::string(ref.sub), std::string(ref.index)});
    if (it == features.end()) return std::nullopt;
    return it->second;
  }
  std::optional<uint64_t> length(model_entity e, std::string_view feature) const override {
    auto it = lengths.find({e, std::string(feature)});
    if (it == lengths.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string_view> offline(model_entity e, std::string_view column) const override {
    auto it = offline_cells.find({e, std::string(column)});
    if (it == offline_cells.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  std::optional<double> context(std::string_view name) const override {
    auto it = context_values.find(std::string(name));
    if (it == context_values.end()) return std::nullopt;
    return it->second;
  }
};

const model_config& config() {
  static const model_config m = [] {
    feature_catalogue cat;
    std::string error;
    REQUIRE(
      load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", cat, error));
    auto path = std::filesystem::temp_directory_path() / "rtfeat_feature_vector_test.toml";
    std::ofstream(path) << R"toml(model = "m.json"
id = "t"
[[input]]
name = "cat_clicks"
source = "user.user_category_clicks[item.offline.category_id]"
default = 0
[[input]]
name = "cheap"
source = 'user.user_price_band_clicks["0-50"]'
default = -1
[[input]]
name = "views"
source = "len(user.user_browsed_categories)"
default = 0
[[input]]
name = "trend"
source = "item.item_popularity.trend_score"
default = 1
[[input]]
name = "pct"
source = "item.item_click_rank.click_pct"
default = nan
[[input]]
name = "price"
source = "item.offline.price"
default = 9
[[input]]
name = "hour"
source = "context.hour"
default = 12
[[input]]
name = "amount"
source = "user.user_purchase_amount"
default = 0
)toml";
    model_config out;
    REQUIRE_MESSAGE(load_model_config(path.string(), cat, out, error), error);
    return out;
  }();
  return m;
}

struct result {
  std::vector<float> row;
  std::vector<absent_input> absent;
};

result fill(const fake_inputs& in) {
  result r;
  r.row.assign(config().inputs.size(), -99);
  fill_row(config(), in, r.row, r.absent);
  return r;
}

std::vector<uint32_t> absent_indices(const result& r) {
  std::vector<uint32_t> out;
  for (const auto& a : r.absent) out.push_back(a.input);
  return out;
}

}  // namespace

TEST_SUITE("serve.feature_vector") {
  TEST_CASE("with nothing in Redis every input takes its default and is listed absent") {
    fake_inputs in;
    auto r = fill(in);
    CHECK(r.row[0] == 0);
    CHECK(r.row[1] == -1);
    CHECK(r.row[2] == 0);
    CHECK(r.row[3] == 1);
    CHECK(std::isnan(r.row[4]));
    CHECK(r.row[5] == 9);
    CHECK(r.row[6] == 12);
    CHECK(r.row[7] == 0);
    CHECK(absent_indices(r) == std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7});
    for (const auto& a : r.absent) CHECK(a.reason == absent_reason::missing);
  }

  TEST_CASE("present values fill the row and nothing is absent") {
    fake_inputs in;
    in.offline_cells[{model_entity::item, "category_id"}] = "17";
    in.offline_cells[{model_entity::item, "price"}] = "59.9";
    in.features[{model_entity::user, "user_category_clicks", "", "17"}] = 4;
    in.features[{model_entity::user, "user_price_band_clicks", "", "0-50"}] = 2;
    in.features[{model_entity::item, "item_popularity", "trend_score", ""}] = 1.5;
    in.features[{model_entity::item, "item_click_rank", "click_pct", ""}] = 62.5;
    in.features[{model_entity::user, "user_purchase_amount", "", ""}] = 120.25;
    in.lengths[{model_entity::user, "user_browsed_categories"}] = 7;
    in.context_values["hour"] = 14;
    auto r = fill(in);
    CHECK(r.row == std::vector<float>{4, 2, 7, 1.5F, 62.5F, 59.9F, 14, 120.25F});
    CHECK(r.absent.empty());
  }

  TEST_CASE("the lookup is told the Redis field, rendered with the index, and the key template") {
    fake_inputs in;
    in.offline_cells[{model_entity::item, "category_id"}] = "17";
    fill(in);
    CHECK(in.fields_asked
          == std::vector<std::string>{"cat:17", "price:0-50", "trend_score", "click_pct", ""});
    CHECK(in.keys_asked[0] == "user:feature:{${user_id}}");
    CHECK(in.keys_asked[4] == "user:stats:{${user_id}}:purchase_amount");
  }

  TEST_CASE(
    "an index column absent from the offline row makes the input absent without asking Redis") {
    fake_inputs in;
    in.features[{model_entity::user, "user_category_clicks", "", ""}] = 5;  // must not be read
    auto r = fill(in);
    CHECK(r.row[0] == 0);
    CHECK(absent_indices(r).front() == 0);
    CHECK(in.fields_asked.front()
          == "price:0-50");  // the first feature() call is the second input's
  }

  TEST_CASE("a grouped value is read for the candidate's group only") {
    fake_inputs in;
    in.offline_cells[{model_entity::item, "category_id"}] = "3";
    in.features[{model_entity::user, "user_category_clicks", "", "17"}] = 4;
    CHECK(fill(in).row[0] == 0);
    in.offline_cells[{model_entity::item, "category_id"}] = "17";
    CHECK(fill(in).row[0] == 4);
  }

  TEST_CASE("an offline cell that is not a number takes the default, listed as not_a_number") {
    fake_inputs in;
    for (const char* bad : {"cheap", "", "1.5kg", "nan", "inf", " 3", "+3"}) {
      in.offline_cells[{model_entity::item, "price"}] = bad;
      auto r = fill(in);
      CHECK(r.row[5] == 9);
      REQUIRE(r.absent.size() == 8);
      CHECK(r.absent[5].input == 5);
      CHECK(r.absent[5].reason == absent_reason::not_a_number);
    }
  }

  TEST_CASE("a length of zero is a value, not an absence") {
    fake_inputs in;
    in.lengths[{model_entity::user, "user_browsed_categories"}] = 0;
    auto r = fill(in);
    CHECK(r.row[2] == 0);
    CHECK(absent_indices(r) == std::vector<uint32_t>{0, 1, 3, 4, 5, 6, 7});
  }

  TEST_CASE("a non-finite value from the lookup is treated as absent") {
    fake_inputs in;
    in.context_values["hour"] = std::numeric_limits<double>::infinity();
    auto r = fill(in);
    CHECK(r.row[6] == 12);
    CHECK(r.absent[6].reason == absent_reason::not_a_number);
  }

  TEST_CASE("parse_number takes the engine's decimals and nothing else") {
    CHECK(parse_number("12") == 12.0);
    CHECK(parse_number("62.5000") == 62.5);
    CHECK(parse_number("-3.5") == -3.5);
    CHECK(parse_number("1e3") == 1000.0);
    CHECK_FALSE(parse_number(""));
    CHECK_FALSE(parse_number("12 "));
    CHECK_FALSE(parse_number("0x10"));
    CHECK_FALSE(parse_number("nan"));
    CHECK_FALSE(parse_number("-inf"));
  }
}
