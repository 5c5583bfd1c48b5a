// Job config and feature catalogue loading: defaults, overrides, and the
// precise errors a bad file must give.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"

using namespace rtfeat;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("rtfeat_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

std::string catalogue_error(const std::string& feature_body) {
  auto path = write_temp("features.toml", "[[feature]]\n" + feature_body);
  feature_catalogue c;
  std::string error;
  CHECK_FALSE(load_feature_catalogue(path, c, error));
  return error;
}

const std::string good_count =
  "name = \"f\"\nentity = \"user\"\naggregation = \"count\"\ngroup_by = \"category_id\"\n"
  "window = { type = \"sliding\", size = \"30m\", slide = \"5m\", lateness = \"1m\" }\n"
  "output = { key = \"user:feature:{${user_id}}\", field = \"cat:${category_id}\" }\n";

}  // namespace

TEST_SUITE("config.job_config") {
  TEST_CASE("the default config loads and --set overrides it") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config(std::string(RTFEAT_SOURCE_DIR) + "/config/rtfeat.toml",
                            {"source.kind=file", "source.path=x.jsonl", "redis.port=7000"}, c, error));
    CHECK(c.source_kind == "file");
    CHECK(c.source_path == "x.jsonl");
    CHECK(c.redis_port == 7000);
    CHECK(c.features_file == std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml");
  }
  TEST_CASE("an unknown key in the file names the file, line and key") {
    auto path = write_temp("bad.toml", "[redis]\nhost = \"h\"\nprot = 1\n");
    job_config c;
    std::string error;
    CHECK_FALSE(load_job_config(path, {}, c, error));
    CHECK(error == path + ":3: unknown config key 'redis.prot'");
  }
  TEST_CASE("bad overrides and bad values are refused") {
    job_config c;
    std::string error;
    CHECK_FALSE(load_job_config("", {"redis.port=abc"}, c, error));
    CHECK(error == "--set redis.port: expected an integer, got 'abc'");
    CHECK_FALSE(load_job_config("", {"nope.key=1"}, c, error));
    CHECK(error == "--set: unknown config key 'nope.key'");
    CHECK_FALSE(load_job_config("", {"source.kind=kafak"}, c, error));
    CHECK(error == "source.kind: expected 'kafka' or 'file', got 'kafak'");
  }
  TEST_CASE("max_future_skew_ms is off by default and must exceed out_of_orderness when set") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config("", {}, c, error));
    CHECK(c.max_future_skew_ms == 0);
    CHECK(load_job_config("", {"watermark.max_future_skew_ms=5001"}, c, error));
    CHECK(c.max_future_skew_ms == 5001);
    CHECK_FALSE(load_job_config("", {"watermark.max_future_skew_ms=5000"}, c, error));
    CHECK(error == "watermark.max_future_skew_ms: must exceed watermark.out_of_orderness_ms (5000), got 5000"
                   " (0 turns the check off)");
    CHECK_FALSE(load_job_config("", {"watermark.max_future_skew_ms=-1"}, c, error));
    CHECK(error.starts_with("watermark.max_future_skew_ms: expected 0 (off) or up to 86400000"));
    CHECK_FALSE(load_job_config("", {"watermark.max_future_skew_ms=86400001"}, c, error));
    CHECK(load_job_config("", {"watermark.max_future_skew_ms=86400000"}, c, error));
  }
  TEST_CASE("max_rate_per_partition is off by default; negative or absurd rates are refused") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config("", {}, c, error));
    CHECK(c.source_max_rate_per_partition == 0);
    CHECK(load_job_config("", {"source.max_rate_per_partition=2500"}, c, error));
    CHECK(c.source_max_rate_per_partition == 2500);
    CHECK_FALSE(load_job_config("", {"source.max_rate_per_partition=-1"}, c, error));
    CHECK(error == "source.max_rate_per_partition: expected 0..100000000 (0 = no limit)");
    CHECK_FALSE(load_job_config("", {"source.max_rate_per_partition=100000001"}, c, error));
  }
  TEST_CASE("replace_after_ms defaults to a minute; 0 turns replacement off; negative is refused") {
    job_config c;
    std::string error;
    REQUIRE(load_job_config("", {}, c, error));
    CHECK(c.cluster_replace_after_ms == 60000);
    CHECK(load_job_config("", {"cluster.replace_after_ms=0"}, c, error));
    CHECK(c.cluster_replace_after_ms == 0);
    CHECK_FALSE(load_job_config("", {"cluster.replace_after_ms=-5"}, c, error));
    CHECK(error == "cluster.replace_after_ms: expected >= 0 (0 = never)");
  }
  TEST_CASE("the [serve] section and its [serve.cache] table load, and bad values are refused") {
    auto path = write_temp("serve.toml",
                           "[serve]\nport = 9090\nmax_batch = 10\nmodel = \"m/model.toml\"\n"
                           "[serve.cache]\nmax_entries = 5000\n");
    job_config c;
    std::string error;
    REQUIRE(load_job_config(path, {}, c, error));
    CHECK(c.serve_port == 9090);
    CHECK(c.serve_max_batch == 10);
    CHECK(c.serve_cache_max_entries == 5000);
    CHECK(c.serve_model == (std::filesystem::path(path).parent_path() / "m/model.toml").string());
    CHECK(c.serve_deadline_ms == 50);
    CHECK_FALSE(load_job_config("", {"serve.max_batch=0"}, c, error));
    CHECK(error == "serve.max_batch: expected 1..100000");
    CHECK_FALSE(load_job_config("", {"serve.cache.max_entires=1"}, c, error));
    CHECK(error == "--set: unknown config key 'serve.cache.max_entires'");
  }
}

TEST_SUITE("config.feature_catalogue") {
  TEST_CASE("the default catalogue has the eleven features of SPEC section 3") {
    feature_catalogue c;
    std::string error;
    REQUIRE(load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error));
    REQUIRE(c.features.size() == 11);
    CHECK(c.features[1].bands.size() == 6);
    CHECK(c.features[1].bands[0].label == "0-50");
    CHECK(c.features[1].bands[5].label == "1000-inf");
    CHECK(c.features[0].window.slide_ms == 300000);
  }
  TEST_CASE("a minimal valid feature loads") {
    auto path = write_temp("ok.toml", "[[feature]]\n" + good_count);
    feature_catalogue c;
    std::string error;
    CHECK(load_feature_catalogue(path, c, error));
  }
  TEST_CASE("a misspelt aggregation names its line") {
    auto body = good_count;
    body.replace(body.find("\"count\""), 7, "\"cout\"");
    CHECK(catalogue_error(body) == "rtfeat_test_features.toml:4: unknown aggregation 'cout'");
  }
  TEST_CASE("a slide that does not divide the size is refused") {
    auto body = good_count;
    body.replace(body.find("\"5m\""), 4, "\"7m\"");
    CHECK(catalogue_error(body) == "rtfeat_test_features.toml:6: window slide must divide window size");
  }
  TEST_CASE("lateness beyond the window size is refused") {
    auto body = good_count;
    body.replace(body.find("\"1m\""), 4, "\"31m\"");
    CHECK(catalogue_error(body) == "rtfeat_test_features.toml:6: window lateness must not exceed window size");
  }
  TEST_CASE("a template naming a field the entity lacks is refused") {
    auto body = good_count;
    body.replace(body.find("${user_id}"), 10, "${item_id}");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:7: output.key 'user:feature:{${item_id}}' names ${item_id}, which this feature does not have");
  }
  TEST_CASE("an unknown key inside a feature is refused") {
    CHECK(catalogue_error(good_count + "colour = \"red\"\n")
          == "rtfeat_test_features.toml:8: unknown key 'colour' in feature");
  }
  TEST_CASE("duplicate feature names are refused") {
    auto path = write_temp("dup.toml", "[[feature]]\n" + good_count + "[[feature]]\n" + good_count);
    feature_catalogue c;
    std::string error;
    CHECK_FALSE(load_feature_catalogue(path, c, error));
    CHECK(error == "rtfeat_test_dup.toml:9: duplicate feature name 'f'");
  }
}

TEST_SUITE("config.feature_catalogue.errors") {
  TEST_CASE("an unknown window type is refused with the known ones") {
    auto body = good_count;
    body.replace(body.find("\"sliding\""), 9, "\"hopping\"");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:6: unknown window type 'hopping' (sliding, tumbling, first_after_seen, unbounded)");
  }
  TEST_CASE("an unknown output type is refused with the known ones") {
    auto body = good_count;
    body.replace(body.find("output = { "), 11, "output = { type = \"set\", ");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:7: unknown output type 'set' (hash, list, zset, string, hyperloglog)");
  }
  TEST_CASE("a last_k without k is refused") {
    CHECK(catalogue_error("name = \"s\"\nentity = \"user\"\naggregation = \"last_k\"\nvalue = \"category_id\"\n"
                          "window = { type = \"sliding\", size = \"10m\", slide = \"1m\" }\n"
                          "output = { type = \"list\", key = \"user:seq:{${user_id}}\" }\n")
          == "rtfeat_test_features.toml:1: aggregation 'last_k': needs entity user and k > 0");
  }
  TEST_CASE("a bad duration names the key and the accepted units") {
    auto body = good_count;
    body.replace(body.find("\"30m\""), 5, "\"30min\"");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:6: 'size': bad duration '30min' (use 500ms, 5s, 30m, 24h, 7d; at most 36500d)");
  }
  TEST_CASE("a duration too long for int64 milliseconds is refused, not overflowed") {
    // test/fuzz/config_loader_fuzz: "9223372036854775807d" overflowed n * scale (UBSan).
    auto body = good_count;
    body.replace(body.find("\"30m\""), 5, "\"9223372036854775807d\"");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:6: 'size': bad duration '9223372036854775807d' (use 500ms, 5s, 30m, 24h, "
             "7d; at most 36500d)");
    body = good_count;
    body.replace(body.find("\"30m\""), 5, "\"36501d\"");
    CHECK(catalogue_error(body).find("bad duration '36501d'") != std::string::npos);
  }
  TEST_CASE("emit is a duration, absent means every flush") {
    auto path = write_temp("emit.toml", "[[feature]]\n" + good_count + "emit = \"1s\"\n");
    feature_catalogue c;
    std::string error;
    REQUIRE(load_feature_catalogue(path, c, error));
    CHECK(c.features[0].emit_interval_ms == 1000);
    path = write_temp("no_emit.toml", "[[feature]]\n" + good_count);
    REQUIRE(load_feature_catalogue(path, c, error));
    CHECK(c.features[0].emit_interval_ms == 0);
    CHECK(catalogue_error(good_count + "emit = \"soon\"\n")
          == "rtfeat_test_features.toml:8: 'emit': bad duration 'soon' (use 500ms, 5s, 30m, 24h, 7d; at most 36500d)");
  }
  TEST_CASE("names starting with an underscore are the engine's own") {
    auto body = good_count;
    body.replace(body.find("\"f\""), 3, "\"_ts:x\"");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:2: feature name '_ts:x' starts with '_', which is reserved for the "
             "engine's own state (the _ts freshness of hashes)");
  }
  TEST_CASE("a hash field may not be called _ts") {
    auto body = good_count;
    body.replace(body.find("\"cat:${category_id}\""), 20, "\"_ts\"");
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:7: field '_ts' is reserved for the hash's freshness (docs/semantics.md)");
  }
  TEST_CASE("a campaign_region hash key names both the campaign and the region, or neither") {
    const std::string body =
      "name = \"c\"\nentity = \"campaign_region\"\naggregation = \"count\"\ngroup_by = \"region\"\n"
      "window = { type = \"sliding\", size = \"30m\", slide = \"5m\" }\n"
      "output = { key = \"campaign:{${campaign_id}}\", field = \"n:${region}\" }\n";
    CHECK(catalogue_error(body)
          == "rtfeat_test_features.toml:7: output.key 'campaign:{${campaign_id}}' names only one of ${campaign_id} "
             "and ${region}: several shards would write its _ts (docs/semantics.md, Freshness)");
    auto both = body;
    both.replace(both.find("campaign:{${campaign_id}}"), 25, "campaign:{${campaign_id}}:${region}");
    auto path = write_temp("campaign.toml", "[[feature]]\n" + both);
    feature_catalogue c;
    std::string error;
    CHECK_MESSAGE(load_feature_catalogue(path, c, error), error);
  }
  TEST_CASE("weights with an unknown behaviour are refused") {
    CHECK(catalogue_error("name = \"p\"\nentity = \"item\"\naggregation = \"sum\"\nweights = { buy = 1 }\n"
                          "window = { type = \"sliding\", size = \"5m\", slide = \"1m\" }\n"
                          "output = { key = \"item:feature:{${item_id}}\", field = \"pop\" }\n")
          == "rtfeat_test_features.toml:5: unknown behavior 'buy' in weights");
  }
  TEST_CASE("weights outside ±1000 are refused at their line, the bounds themselves accepted") {
    auto body = [](const std::string& weights) {
      return "name = \"p\"\nentity = \"item\"\naggregation = \"sum\"\nweights = " + weights
                             + "\nwindow = { type = \"sliding\", size = \"5m\", slide = \"1m\" }\n"
                               "output = { key = \"item:feature:{${item_id}}\", field = \"pop\" }\n";
    };
    auto with = [&](const std::string& weights) { return catalogue_error(body(weights)); };
    CHECK(with("{ view = 1001 }") == "rtfeat_test_features.toml:5: weight of 'view' must be within -1000..1000, got 1001");
    CHECK(with("{ view = 1, purchase = -1001 }")
          == "rtfeat_test_features.toml:5: weight of 'purchase' must be within -1000..1000, got -1001");
    feature_catalogue c;
    std::string error;
    CHECK_MESSAGE(load_feature_catalogue(write_temp("w.toml", "[[feature]]\n" + body("{ view = 1000, purchase = -1000 }")), c, error), error);
  }
}
