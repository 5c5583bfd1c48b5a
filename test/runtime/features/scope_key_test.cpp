// Routing keys per scope: the copying form (readers route by it) and the view
// the shards intern must name the same entity.
#include <doctest/doctest.h>

#include <string>

#include "runtime/features/feature_state.hpp"
#include "test/support/test_catalogue.hpp"

namespace rtfeat {

TEST_SUITE("runtime.scope_key") {
  TEST_CASE("the key view equals the copied key in every scope, and both miss the same fields") {
    auto full = test::click("u7", "i9", 17, 1767225600000);
    full.campaign_id = "c3", full.region = "hz";
    auto bare = test::click("u8", "", 0, 1767225600000, -1, behavior::search);
    bare.has_category = false;
    for (const auto* e : {&full, &bare}) {
      for (size_t s = 0; s < feature_scope_count; ++s) {
        auto scope = static_cast<feature_scope>(s);
        std::string copied, buffer;
        bool has = scope_key(scope, *e, copied);
        auto view = scope_key_view(scope, *e, buffer);
        CAPTURE(s);
        REQUIRE(view.has_value() == has);
        if (has) CHECK(*view == copied);
      }
    }
    std::string buffer;
    CHECK(*scope_key_view(feature_scope::category, full, buffer) == "17");
    CHECK(*scope_key_view(feature_scope::campaign_region, full, buffer) == "c3\x1fhz");
    CHECK(*scope_key_view(feature_scope::all, bare, buffer) == "all");
    CHECK_FALSE(scope_key_view(feature_scope::item, bare, buffer));
  }
}

}  // namespace rtfeat
