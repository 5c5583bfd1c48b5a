// check_cluster_hash_tags: the shipped catalogue passes; a key without its
// entity's tag, with a literal tag or with another variable's tag is refused
// at its file:line.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "config/cluster_hash_tags.hpp"

using namespace rtfeat;

namespace {

feature_catalogue user_count_with_key(const std::string& key) {
  feature_catalogue c;
  c.path = "features.toml";
  feature_def f;
  f.name = "clicks";
  f.line = 12;
  f.entity = entity_kind::user;
  f.output.key = key;
  c.features.push_back(f);
  return c;
}

std::string error_for(const std::string& key) {
  std::string error;
  CHECK_FALSE(check_cluster_hash_tags(user_count_with_key(key), error));
  return error;
}

}  // namespace

TEST_SUITE("config.cluster_hash_tags") {
  TEST_CASE("the shipped catalogue tags every key with its entity") {
    feature_catalogue c;
    std::string error;
    REQUIRE(load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error));
    CHECK_MESSAGE(check_cluster_hash_tags(c, error), error);
  }
  TEST_CASE("the tag may sit anywhere in the key") {
    std::string error;
    CHECK(check_cluster_hash_tags(user_count_with_key("{${user_id}}:clicks"), error));
    CHECK(check_cluster_hash_tags(user_count_with_key("u:{${user_id}}:x:${category_id}"), error));
  }
  TEST_CASE("a key without the entity's tag is refused at its line") {
    auto e = error_for("user:feature:${user_id}");
    CHECK(e.find("features.toml:12: feature 'clicks'") == 0);
    CHECK(e.find("{${user_id}}") != std::string::npos);
    CHECK_FALSE(error_for("user:{features}:${user_id}").empty());     // literal tag: one slot for all
    CHECK_FALSE(error_for("user:{${category_id}}:${user_id}").empty());  // another entity's id
    CHECK_FALSE(error_for("user:{x${user_id}}").empty());              // more than the id
    CHECK_FALSE(error_for("user:{${user_id}x}").empty());
    CHECK_FALSE(error_for("a{b}:{${user_id}}").empty());               // the first {...} is the tag
  }
  TEST_CASE("deciles are tagged by category, tiers by the entity") {
    auto c = user_count_with_key("user:feature:{${user_id}}");
    c.features[0].tier.key = "user:tier:${user_id}";
    std::string error;
    CHECK_FALSE(check_cluster_hash_tags(c, error));
    c.features[0].tier.key = "user:tier:{${user_id}}";
    c.features[0].deciles.key = "cat:buckets:${category_id}";
    CHECK_FALSE(check_cluster_hash_tags(c, error));
    c.features[0].deciles.key = "cat:buckets:{${category_id}}";
    CHECK_MESSAGE(check_cluster_hash_tags(c, error), error);
  }
}
