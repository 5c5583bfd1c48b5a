// `rtfeat gen --intent` traffic and its labels: a positive rate a model can learn
// from, determinism, time order as in the plain stream, and the plain stream
// itself unchanged by the intent model.
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>

#include "runtime/event_parser.hpp"
#include "runtime/tools/gen/event_generator.hpp"
#include "runtime/tools/gen/impression_labels.hpp"
#include "runtime/tools/gen/intent_model.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t window_ms = 600'000;

// The world scripts/train generates (WORLD there).
gen_config small_world(uint64_t seed, bool intent) {
  gen_config cfg;
  cfg.seed = seed;
  cfg.users = 2000;
  cfg.items = 5000;
  cfg.categories = 40;
  cfg.rate = 4;
  cfg.zipf_exponent = 0.8;
  cfg.intent = intent;
  return cfg;
}

std::vector<impression> labels_of(const gen_config& cfg, int lines) {
  event_generator gen(cfg);
  event_parser parser;
  impression_labeler labeler;
  event e;
  for (int i = 0; i < lines; ++i)
    if (!parser.parse(gen.next().text, e)) labeler.add(e);
  return labeler.label(window_ms);
}

double positive_rate(const std::vector<impression>& labels) {
  double positives = 0;
  for (const impression& row : labels) positives += row.positive ? 1 : 0;
  return positives / static_cast<double>(labels.size());
}

// FNV-1a over the lines, each with its newline: the bytes `rtfeat gen --out` writes.
uint64_t stream_hash(const gen_config& cfg, int lines) {
  event_generator gen(cfg);
  uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&h](unsigned char c) { h = (h ^ c) * 0x100000001b3ULL; };
  for (int i = 0; i < lines; ++i) {
    for (char c : gen.next().text) add(static_cast<unsigned char>(c));
    add('\n');
  }
  return h;
}

}  // namespace

TEST_SUITE("runtime.gen.intent_traffic") {
  TEST_CASE("with intent, 3 to 10 % of the views are followed by a response within 10 minutes") {
    for (uint64_t seed : {7, 8}) {
      const auto labels = labels_of(small_world(seed, true), 120'000);
      CHECK(labels.size() > 40'000);
      const double rate = positive_rate(labels);
      CHECK_MESSAGE(rate >= 0.03, "seed " << seed << ": " << rate);
      CHECK_MESSAGE(rate <= 0.10, "seed " << seed << ": " << rate);
    }
  }

  TEST_CASE("without intent, responses to views are chance events") {
    CHECK(positive_rate(labels_of(small_world(7, false), 120'000)) < 0.02);
  }

  TEST_CASE("the same seed gives the same labels") {
    const auto a = labels_of(small_world(11, true), 30'000);
    const auto b = labels_of(small_world(11, true), 30'000);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i)
      REQUIRE(std::tie(a[i].user_id, a[i].item_id, a[i].ts, a[i].positive)
              == std::tie(b[i].user_id, b[i].item_id, b[i].ts, b[i].positive));
  }

  TEST_CASE("follow-ups take ordinary slots: in-order lines keep their nominal time") {
    event_generator gen(small_world(3, true));
    event_parser parser;
    event e;
    for (int i = 0; i < 100'000; ++i) {
      const generated_line& line = gen.next();
      if (line.kind != line_kind::in_order) continue;
      REQUIRE(!parser.parse(line.text, e));
      REQUIRE(e.ts == line.nominal_ts);
    }
    CHECK(gen.counts().follow_ups > 1000);
    CHECK(gen.counts().events == 100'000);
  }

  TEST_CASE("the plain stream is the one recorded before the intent model existed") {
    // Recorded from `rtfeat gen --events 20000 --seed 7 --out -` before intent_model;
    // many tests and benches compare against this stream.
    gen_config cfg;
    cfg.seed = 7;
    CHECK(stream_hash(cfg, 20'000) == 0x7fa0031d76bb9620ULL);
  }

  TEST_CASE("a view is likelier to get a follow-up after the user's clicks in its category") {
    const catalog items(10, 2000, 3, 5);
    intent_model model(items, 10, 2000, 3, 5);
    const int64_t t0 = 1767225600000 + 12 * 3'600'000;  // noon: the plain hour factor
    uint32_t other = 1;
    while (items.item(other).category_id == items.item(0).category_id) ++other;
    const double before = model.follow_up_probability(0, 0, t0);
    model.observe(0, other, behavior::click, t0);
    CHECK(model.follow_up_probability(0, 0, t0 + 1000) == doctest::Approx(before));
    model.observe(0, 0, behavior::click, t0 + 1000);
    model.observe(0, 0, behavior::click, t0 + 2000);
    CHECK(model.follow_up_probability(0, 0, t0 + 3000) > 2 * before);
    // 30 min later the clicks are out of the window the real-time feature counts.
    CHECK(model.follow_up_probability(0, 0, t0 + 2000 + 30 * 60'000) == doctest::Approx(before));
  }
}
