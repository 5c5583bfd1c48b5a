// point_in_time against the oracle's own evaluation of the whole prefix: the
// groups, the pruning and the memo must change nothing, at any cut of the log.
#include <doctest/doctest.h>

#include <fstream>

#include "oracle/point_in_time.hpp"
#include "runtime/tools/gen/event_generator.hpp"
#include "test/oracle/oracle_test_support.hpp"

namespace rtfeat::oracle::test {

namespace {

struct loaded_log {
  job_config cfg;
  feature_catalogue cat;
  std::vector<kept_event> kept;
  event_log_stats stats;
};

// `events` generated lines over a few hours of event time, so that windows slide and prune.
void generate_and_read(const temp_dir& dir, uint64_t events, loaded_log& out) {
  gen_config g;
  g.seed = 11;
  g.users = 30;
  g.items = 25;
  g.categories = 3;
  g.rate = 0.4;  // 2.5 s apart: 3000 events span about 2 hours
  event_generator gen(g);
  {
    std::ofstream f(dir.file("events.jsonl"), std::ios::binary);
    for (uint64_t i = 0; i < events; ++i) f << gen.next().text << '\n';
  }
  std::string error;
  REQUIRE_MESSAGE(load_job_config("", {"features.file=" RTFEAT_SOURCE_DIR "/config/features.toml"},
                                  out.cfg, error),
                  error);
  REQUIRE_MESSAGE(load_feature_catalogue(out.cfg.features_file, out.cat, error), error);
  event_log_options opts;
  opts.partitions = static_cast<int32_t>(out.cfg.source_partitions);
  opts.out_of_orderness_ms = out.cfg.out_of_orderness_ms;
  opts.max_lateness_ms = max_lateness_ms(out.cat);
  opts.now_ms = test_now_ms;
  REQUIRE_MESSAGE(read_event_log(dir.file("events.jsonl"), opts, out.kept, out.stats, error), error);
}

// The first key template of `f` naming the entity's id, rendered for `id`.
std::vector<std::string> keys_of(const feature_def& f, model_entity e, const std::string& id) {
  std::vector<std::string> out;
  for (const auto* text : {&f.output.key, &f.tier.key}) {
    if (text->empty()) continue;
    auto t = compile_template(*text);
    std::string key;
    if (render(t, [&](const std::string& v) -> std::optional<std::string> {
          if ((e == model_entity::user && v == "user_id") || (e == model_entity::item && v == "item_id")) return id;
          return std::nullopt;
        }, key))
      out.push_back(key);
  }
  return out;
}

}  // namespace

TEST_CASE("point-in-time values equal the oracle's evaluation of every prefix of the log") {
  temp_dir dir;
  loaded_log log;
  generate_and_read(dir, 3000, log);
  REQUIRE(log.kept.size() > 2500);
  std::vector<std::pair<std::string, model_entity>> wanted;
  for (const auto& f : log.cat.features) {
    if (f.entity == entity_kind::campaign_region) continue;  // neither a user's nor an item's
    bool item_key = f.output.key.find("${item_id}") != std::string::npos;
    wanted.emplace_back(f.name, item_key ? model_entity::item : model_entity::user);
  }
  REQUIRE(wanted.size() == 10);
  point_in_time pit(log.cat, wanted, log.kept, static_cast<int32_t>(log.cfg.source_partitions),
                    log.cfg.out_of_orderness_ms);
  uint64_t compared = 0, present = 0;
  for (size_t cut = 1; cut <= log.kept.size(); cut += 149) {
    pit.advance_to(cut);
    REQUIRE(pit.watermark().has_value());
    std::vector<kept_event> prefix(log.kept.begin(), log.kept.begin() + static_cast<ptrdiff_t>(cut));
    for (const auto& [name, entity] : wanted) {
      const feature_def& f = *std::find_if(log.cat.features.begin(), log.cat.features.end(),
                                           [&](const auto& d) { return d.name == name; });
      expected_state whole;
      evaluate_feature(f, prefix, *pit.watermark(), whole);
      for (uint32_t n = 1; n <= 30; ++n) {
        std::string id = (entity == model_entity::user ? "u" : "i") + std::to_string(n);
        const expected_state& got = pit.values(name, entity, id);
        for (const auto& key : keys_of(f, entity, id)) {
          auto want = whole.keys.find(key);
          auto have = got.keys.find(key);
          INFO("feature " << name << ", key " << key << ", cut " << cut);
          REQUIRE((want == whole.keys.end()) == (have == got.keys.end()));
          if (want != whole.keys.end()) {
            CHECK(want->second == have->second);
            ++present;
          }
          CHECK(whole.undefined_fields.contains(key) == got.undefined_fields.contains(key));
          ++compared;
        }
      }
    }
  }
  CHECK(compared > 5000);
  CHECK(present > compared / 4);  // the comparison is not all "absent = absent"
}

TEST_CASE("a partition without data holds nothing back, and no events means no watermark") {
  temp_dir dir;
  loaded_log log;
  generate_and_read(dir, 50, log);
  point_in_time pit(log.cat, {{"user_category_clicks", model_entity::user}}, log.kept,
                    static_cast<int32_t>(log.cfg.source_partitions), log.cfg.out_of_orderness_ms);
  CHECK_FALSE(pit.watermark().has_value());
  CHECK(pit.values("user_category_clicks", model_entity::user, "u1").keys.empty());
  pit.advance_to(1);
  REQUIRE(pit.watermark().has_value());
  CHECK(*pit.watermark() == log.kept[0].ts - log.cfg.out_of_orderness_ms);
  pit.advance_to(log.kept.size());
  CHECK(pit.watermark() == log.stats.final_watermark);
}

}  // namespace rtfeat::oracle::test
