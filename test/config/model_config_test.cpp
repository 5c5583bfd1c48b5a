// model.toml loading: every source form resolved to what serve looks up, and every
// mistake refused with the file, the line and what would have been right.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "config/model_config.hpp"

using namespace rtfeat;

namespace {

const feature_catalogue& catalogue() {
  static const feature_catalogue c = [] {
    feature_catalogue out;
    std::string error;
    REQUIRE(
      load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", out, error));
    return out;
  }();
  return c;
}

std::string write_model_toml(const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "rtfeat_model_config_test";
  std::filesystem::create_directories(dir);
  auto path = dir / "model.toml";
  std::ofstream(path) << text;
  return path.string();
}

const std::string header = "model = \"m.json\"\nid = \"m1\"\n";  // lines 1-2

/// The one input `source` with `default` (lines 3-6).
std::string one_input(const std::string& source,
                      const std::string& default_line = "default = 0\n") {
  return header + "[[input]]\nname = \"x\"\nsource = '" + source + "'\n" + default_line;
}

model_input load_one(const std::string& source) {
  model_config m;
  std::string error;
  bool ok = load_model_config(write_model_toml(one_input(source)), catalogue(), m, error);
  INFO(error);
  REQUIRE(ok);
  REQUIRE(m.inputs.size() == 1);
  return m.inputs[0];
}

std::string load_error(const std::string& text) {
  model_config m;
  std::string error;
  CHECK_FALSE(load_model_config(write_model_toml(text), catalogue(), m, error));
  return error;
}

std::string field_of(const model_input& in, std::string_view index = "") {
  std::string out;
  in.field.render(out, [&](const std::string&) { return index; });
  return out;
}

}  // namespace

TEST_SUITE("config.model_config") {
  TEST_CASE(
    "the shipped model configs load against the default catalogue and agree with each other") {
    model_config example, demo;
    std::string error;
    REQUIRE_MESSAGE(load_model_config(std::string(RTFEAT_SOURCE_DIR) + "/config/model.toml",
                                      catalogue(), example, error),
                    error);
    REQUIRE_MESSAGE(
      load_model_config(std::string(RTFEAT_SOURCE_DIR) + "/test/data/model/model.toml", catalogue(),
                        demo, error),
      error);
    CHECK(example.model_file == std::string(RTFEAT_SOURCE_DIR) + "/test/data/model/model.json");
    CHECK(demo.model_file == example.model_file);
    CHECK(example.id == "demo-ctr-1");
    REQUIRE(example.inputs.size() == demo.inputs.size());
    for (size_t i = 0; i < demo.inputs.size(); ++i) {
      CHECK(example.inputs[i].name == demo.inputs[i].name);
      CHECK(example.inputs[i].source == demo.inputs[i].source);
      CHECK((example.inputs[i].default_value == demo.inputs[i].default_value
             || (std::isnan(example.inputs[i].default_value)
                 && std::isnan(demo.inputs[i].default_value))));
    }
  }

  TEST_CASE("a grouped feature indexed by the candidate's offline column") {
    auto in = load_one("user.user_category_clicks[item.offline.category_id]");
    CHECK(in.kind == input_kind::feature);
    CHECK(in.entity == model_entity::user);
    CHECK(in.feature == "user_category_clicks");
    CHECK(in.sub.empty());
    CHECK(in.index.from == input_index::from_kind::offline);
    CHECK(in.index.entity == model_entity::item);
    CHECK(in.index.text == "category_id");
    CHECK(in.index_var == "category_id");
    CHECK(in.where == redis_value::hash_field);
    CHECK(in.key == "user:feature:{${user_id}}");
    CHECK(field_of(in, "17") == "cat:17");
  }

  TEST_CASE("literal indices: a price band, a purchase gap, a category") {
    auto band = load_one(R"(user.user_price_band_clicks["0-50"])");
    CHECK(band.index.from == input_index::from_kind::literal);
    CHECK(band.index.text == "0-50");
    CHECK(field_of(band, "0-50") == "price:0-50");
    auto gap = load_one("user.user_purchase_gaps[2]");
    CHECK(gap.index.text == "2");
    CHECK(field_of(gap, "2") == "purchase_gap_2");
    auto cat = load_one(R"(user.user_category_clicks["3"])");
    CHECK(field_of(cat, "3") == "cat:3");
  }

  TEST_CASE("named values: a trend, a percentile rank, a tier in another key") {
    auto trend = load_one("item.item_popularity.trend_score");
    CHECK(trend.sub == "trend_score");
    CHECK(trend.key == "item:feature:{${item_id}}");
    CHECK(field_of(trend) == "trend_score");
    auto main = load_one("item.item_popularity");
    CHECK(main.sub.empty());
    CHECK(field_of(main) == "realtime_popularity");
    auto pct = load_one("item.item_click_rank.click_pct");
    CHECK(field_of(pct) == "click_pct");
    auto clicks = load_one("item.item_click_rank.clicks");
    CHECK(field_of(clicks) == "clicks");
    auto tier = load_one("user.user_purchase_amount.amount_tier");
    CHECK(tier.key == "user:feature:{${user_id}}");
    CHECK(field_of(tier) == "amount_tier");
  }

  TEST_CASE("strings, HyperLogLogs, sequences, offline columns and context") {
    auto amount = load_one("user.user_purchase_amount");
    CHECK(amount.where == redis_value::string);
    CHECK(amount.key == "user:stats:{${user_id}}:purchase_amount");
    CHECK(load_one("item.item_unique_visitors").where == redis_value::hyperloglog);
    auto seq = load_one("len(user.user_browsed_categories)");
    CHECK(seq.kind == input_kind::length);
    CHECK(seq.where == redis_value::list);
    CHECK(load_one("len(user.user_session_timeline)").where == redis_value::zset);
    auto price = load_one("item.offline.price");
    CHECK(price.kind == input_kind::offline);
    CHECK(price.entity == model_entity::item);
    CHECK(price.column == "price");
    auto hour = load_one("context.hour");
    CHECK(hour.kind == input_kind::context);
    CHECK(hour.column == "hour");
  }

  TEST_CASE("defaults: integers, floats and nan") {
    model_config m;
    std::string error;
    auto text = one_input("context.a", "default = 2\n")
                + "[[input]]\nname = \"y\"\nsource = \"context.b\"\ndefault = -0.5\n"
                + "[[input]]\nname = \"z\"\nsource = \"context.c\"\ndefault = nan\n";
    REQUIRE_MESSAGE(load_model_config(write_model_toml(text), catalogue(), m, error), error);
    CHECK(m.inputs[0].default_value == 2);
    CHECK(m.inputs[1].default_value == -0.5);
    CHECK(std::isnan(m.inputs[2].default_value));
    CHECK(m.inputs[2].line == 11);
  }

  TEST_CASE("an unknown feature lists the entity's features") {
    CHECK(load_error(one_input("user.user_categry_clicks[\"1\"]"))
          == "model.toml:5: unknown feature 'user_categry_clicks' (user features: user_category_clicks, "
             "user_price_band_clicks, user_browsed_categories, user_purchase_gaps, user_purchase_amount, "
             "new_user_funnel, user_session_timeline)");
  }

  TEST_CASE("a feature of the other entity, or of neither, is refused") {
    CHECK(load_error(one_input("user.item_popularity"))
          == "model.toml:5: 'item_popularity' is an item feature: write item.item_popularity");
    CHECK(load_error(one_input("item.campaign_region_users"))
          == "model.toml:5: 'campaign_region_users' is a campaign_region feature: model inputs read user and item "
             "features");
  }

  TEST_CASE("unknown and missing named values") {
    CHECK(load_error(one_input("item.item_popularity.trend"))
          == "model.toml:5: unknown value 'trend' of item_popularity (realtime_popularity, trend_score)");
    CHECK(load_error(one_input("item.item_click_rank"))
          == "model.toml:5: 'item_click_rank' has several values: write item.item_click_rank.clicks or .click_pct");
    CHECK(load_error(one_input("item.item_unique_visitors.count"))
          == "model.toml:5: 'item_unique_visitors' has no named values: write item.item_unique_visitors");
  }

  TEST_CASE("an index on a feature that is not grouped, and a grouped feature without one") {
    CHECK(load_error(one_input("item.item_popularity[\"1\"]"))
          == "model.toml:5: 'item_popularity' is not grouped: drop the [index]");
    CHECK(load_error(one_input("user.user_purchase_amount[item.offline.x]"))
          == "model.toml:5: 'user_purchase_amount' is not grouped: drop the [index]");
    CHECK(load_error(one_input("user.user_category_clicks"))
          == "model.toml:5: 'user_category_clicks' is grouped by category_id: give the group, e.g. "
             "user.user_category_clicks[item.offline.category_id]");
    CHECK(load_error(one_input("user.user_price_band_clicks"))
          == "model.toml:5: 'user_price_band_clicks' is grouped by band: give the group, e.g. "
             "user.user_price_band_clicks[\"0-50\"]");
  }

  TEST_CASE("literal indices are checked against the feature") {
    CHECK(load_error(one_input("user.user_price_band_clicks[\"0-40\"]"))
          == "model.toml:5: unknown band '0-40' of user_price_band_clicks (0-50, 50-100, 100-200, 200-500, "
             "500-1000, 1000-inf)");
    CHECK(load_error(one_input("user.user_purchase_gaps[4]"))
          == "model.toml:5: index '4' of user_purchase_gaps: expected 1..3");
    CHECK(load_error(one_input("user.user_purchase_gaps[0]"))
          == "model.toml:5: index '0' of user_purchase_gaps: expected 1..3");
    CHECK(load_error(one_input("user.user_category_clicks[\"shoes\"]"))
          == "model.toml:5: index 'shoes' of user_category_clicks: category ids are integers");
  }

  TEST_CASE("sequences need len(), and len() needs a sequence") {
    CHECK(load_error(one_input("user.user_browsed_categories"))
          == "model.toml:5: 'user_browsed_categories' is a sequence: use len(user.user_browsed_categories)");
    CHECK(load_error(one_input("len(item.item_popularity)"))
          == "model.toml:5: len() needs a sequence feature (a list or sorted set); 'item_popularity' is a hash");
  }

  TEST_CASE("syntax errors say what was expected where") {
    CHECK(
      load_error(one_input("session.x"))
      == "model.toml:5: source 'session.x': expected user., item. or context. at column 1 ('s')");
    CHECK(load_error(one_input("user.user_category_clicks[item.offline.category_id"))
          == "model.toml:5: source 'user.user_category_clicks[item.offline.category_id': expected ']' at the end");
    CHECK(load_error(one_input("user.user_category_clicks[category]"))
          == "model.toml:5: source 'user.user_category_clicks[category]': expected an index: \"text\", an integer, "
             "user.offline.COLUMN or item.offline.COLUMN at column 27 ('c')");
    CHECK(load_error(one_input("len(user.user_browsed_categories"))
          == "model.toml:5: source 'len(user.user_browsed_categories': expected ')' at the end");
    CHECK(
      load_error(one_input("item.offline."))
      == "model.toml:5: source 'item.offline.': expected '.' and an offline column name at the "
         "end");
    CHECK(
      load_error(one_input("context.hour "))
      == "model.toml:5: source 'context.hour ': expected the end of the source at column 13 (' ')");
  }

  TEST_CASE("a missing or non-numeric default, unknown keys, duplicates and an empty vector") {
    CHECK(load_error(one_input("context.hour", ""))
          == "model.toml:3: input 'x': missing key 'default' (the value used when the source has none; nan = "
             "missing for XGBoost)");
    CHECK(load_error(one_input("context.hour", "default = \"0\"\n"))
          == "model.toml:6: 'default' must be a number (nan = missing for XGBoost)");
    CHECK(load_error(one_input("context.hour", "default = inf\n"))
          == "model.toml:6: 'default' must be finite or nan");
    CHECK(load_error(one_input("context.hour", "default = 0\nscale = 2\n"))
          == "model.toml:7: unknown key 'scale' in [[input]]");
    CHECK(load_error(header + "version = 2\n" + one_input("context.hour").substr(header.size()))
          == "model.toml:3: unknown key 'version' in model config (model, id, [[input]])");
    CHECK(load_error(one_input("context.a") + one_input("context.b").substr(header.size()))
          == "model.toml:7: duplicate input name 'x'");
    CHECK(load_error(header) == "model.toml:1: no [[input]] defined (the model's feature vector)");
    CHECK(load_error("id = \"m\"\n" + one_input("context.hour").substr(header.size()))
          == "model.toml:1: missing key 'model'");
    CHECK(load_error("model = 3\nid = \"m\"\n" + one_input("context.hour").substr(header.size()))
          == "model.toml:1: 'model' must be a non-empty string");
    CHECK(load_error(one_input("context.hour").substr(0, 40) + " = = broken\n")
          == "model.toml:4: Error while parsing value: could not determine value type");
  }

  TEST_CASE("a missing file names the path") {
    model_config m;
    std::string error;
    CHECK_FALSE(load_model_config("/nonexistent/model.toml", catalogue(), m, error));
    CHECK(error == "/nonexistent/model.toml: cannot open model config");
  }
}
