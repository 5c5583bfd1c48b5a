// A checkpoint written before the body format carried entity counts (format 2,
// test/data/checkpoint_format2) still restores: into the state its events build.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "test/runtime/checkpoint/format2_fixture.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/entity_sink.hpp"

using namespace rtfeat;
namespace f2 = rtfeat::test::format2;

namespace {

struct user_shard {
  feature_plan plan = test::default_plan();  // the states refer to it
  std::vector<feature_scope> scopes;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<feature_state>> states;

  user_shard() : states(make_feature_states(plan, true, scopes, &names)) {}

  std::vector<named_state> named() const {
    std::vector<named_state> out;
    for (size_t i = 0; i < states.size(); ++i) out.push_back({names[i], states[i].get()});
    return out;
  }
  /// (state, routing key, identity) -> encoding: what a first save of the whole state writes.
  std::map<std::tuple<std::string, std::string, std::string>, std::string> entities() {
    std::map<std::tuple<std::string, std::string, std::string>, std::string> out;
    for (size_t i = 0; i < states.size(); ++i) {
      test::entity_sink sink;
      states[i]->save(sink);
      for (const auto& [k, bytes] : sink.entities) out[{names[i], k.first, k.second}] = bytes;
    }
    return out;
  }
};

}  // namespace

TEST_SUITE("runtime.checkpoint.format2_restore") {
  TEST_CASE("a checkpoint of the format before entity counts restores the state its events built") {
    test::temp_dir dir;  // a copy: opening a store may tidy its directory
    std::filesystem::copy(RTFEAT_SOURCE_DIR "/test/data/checkpoint_format2", dir.path(),
                          std::filesystem::copy_options::recursive);
    auto store = checkpoint_store::open(dir.path(), open_mode::must_exist);
    REQUIRE(store);
    std::vector<std::string> log;
    auto found = (*store)->find_restorable(std::nullopt, log);
    REQUIRE(found);
    REQUIRE(found->has_value());
    std::vector<std::string> bodies;
    for (auto kg : f2::key_groups) {
      std::string body;
      REQUIRE((*store)->read_snapshot(**found, kg, body));
      std::string error;
      REQUIRE_MESSAGE(check_shard_body_format(body, error), error);
      bodies.push_back(std::move(body));
    }

    user_shard restored;
    int64_t watermark = no_watermark;
    uint64_t seq = 0;
    std::vector<std::string> dropped;
    std::string error;
    reserve_shard_state({bodies.begin(), bodies.end()}, restored.named());  // no counts: reserves nothing
    for (const auto& body : bodies)
      REQUIRE_MESSAGE(decode_shard_state(body, restored.named(), watermark, seq, dropped, error), error);
    CHECK(dropped.empty());
    CHECK(watermark == f2::second_watermark);

    user_shard expected;  // the same events, arrival counts and watermarks as the writer's
    uint64_t next = 0;
    for (int round = 0; round < 2; ++round) {
      for (const auto& e : f2::events(round == 1)) {
        for (auto& s : expected.states) s->add(e, no_watermark, next);
        ++next;
      }
      std::vector<key_update> ignored;
      for (auto& s : expected.states)
        s->advance(round == 0 ? f2::first_watermark : f2::second_watermark), s->flush(ignored);
    }
    CHECK(seq == next);
    auto want = expected.entities();
    CHECK(want.size() > 600);
    CHECK(restored.entities() == want);
  }
}
