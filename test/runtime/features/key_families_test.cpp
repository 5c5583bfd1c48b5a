// Key families and orphan routes: which keys found in Redis a resync's orphan
// sweep may hand to a shard of this node, and which it must leave alone.
#include <doctest/doctest.h>

#include "runtime/features/orphan_routes.hpp"
#include "runtime/murmur2.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.key_families") {
  TEST_CASE("a key of a family written from one scope names the entity that owns it") {
    auto plan = test::default_plan();
    key_families f(plan);
    auto seq = f.owner_of("user:seq:{u13811}");
    REQUIRE(seq);
    CHECK(seq->scope == feature_scope::user);
    CHECK(seq->routing_key == "u13811");
    CHECK(seq->type == redis_type::list);
    auto session = f.owner_of("user:session:{u7}");
    REQUIRE(session);
    CHECK(session->type == redis_type::zset);
    auto buckets = f.owner_of("cat:buckets:{42}");
    REQUIRE(buckets);
    CHECK(buckets->scope == feature_scope::category);
    CHECK(buckets->routing_key == "42");
    auto campaign = f.owner_of("campaign:{c1}:region:eu:users");
    REQUIRE(campaign);
    CHECK(campaign->scope == feature_scope::campaign_region);
    CHECK(campaign->routing_key == "c1\x1f" "eu");
    CHECK(campaign->type == redis_type::hyperloglog);
    auto amount = f.owner_of("user:stats:{u7}:purchase_amount");  // the `all` group's tiers
    REQUIRE(amount);
    CHECK(amount->scope == feature_scope::all);
    CHECK(amount->routing_key == "all");
    CHECK(amount->type == redis_type::string);
  }
  TEST_CASE(
    "a key written from two scopes, or whose family does not name its owner, is left alone") {
    auto plan = test::default_plan();
    key_families f(plan);
    CHECK_FALSE(f.owner_of("user:feature:{u7}"));  // amount_tier comes from the `all` shard
    CHECK_FALSE(f.owner_of("item:feature:{i9}"));  // item_ranks writes it from category shards
  }
  TEST_CASE("the engine's bookkeeping, foreign keys and keys that split two ways are left alone") {
    auto plan = test::default_plan();
    key_families f(plan);
    CHECK_FALSE(f.owner_of("__rtfeat__:marker:{0.0}"));
    CHECK_FALSE(f.owner_of("session:abc"));
    CHECK_FALSE(f.owner_of("user:seq:{u7}:old"));
    CHECK_FALSE(f.owner_of("user:seq:{}"));
    // campaign "a", region "b}:region:c" or campaign "a}:region:b", region "c"
    CHECK_FALSE(f.owner_of("campaign:{a}:region:b}:region:c:users"));
  }
}

TEST_SUITE("runtime.orphan_routes") {
  TEST_CASE("a key goes to the local shard that owns its entity's key group, others nowhere") {
    auto plan = test::default_plan();
    constexpr uint32_t groups = 128;
    auto mine = key_group_of("u1", groups);
    std::string other = "u2";
    while (key_group_of(other, groups) == mine) other += "x";
    orphan_routes routes(plan, groups);
    routes.add_shard(true, {mine});  // shard 0: a user shard of one key group
    routes.add_shard(false, {key_group_of("all", groups)});  // shard 1: a category shard
    auto r = routes.route("user:seq:{u1}");
    REQUIRE(r);
    CHECK(r->shard == 0);
    CHECK(r->type == redis_type::list);
    CHECK_FALSE(routes.route("user:seq:{" + other + "}"));  // another node's (or shard's) key group
    auto amount = routes.route("user:stats:{" + other + "}:purchase_amount");
    REQUIRE(amount);
    CHECK(amount->shard == 1);  // the `all` group, whoever the user is
    CHECK_FALSE(routes.route("user:feature:{u1}"));
  }
}
