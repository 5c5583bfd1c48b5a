// Drawing a drill plan (see kill_plan.hpp). splitmix64 rather than <random>'s
// distributions, whose results differ between standard libraries: a seed names
// the same drill everywhere.
#include "runtime/tools/drill/kill_plan.hpp"

#include <algorithm>

namespace rtfeat {

namespace {

class plan_random {
public:
  explicit plan_random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n >= 1 (the modulo bias is far below anything a drill can see).
  uint64_t below(uint64_t n) { return next() % n; }
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }

private:
  uint64_t state_;
};

}  // namespace

std::string_view to_string(kill_moment m) {
  return m == kill_moment::checkpoint_in_flight ? "checkpoint in flight" : "checkpoint + delay";
}

drill_plan plan_drill(uint64_t seed, uint32_t nodes, uint32_t kills, bool rescale,
                      int64_t checkpoint_ms) {
  plan_random rnd(seed);
  drill_plan plan;
  for (uint32_t i = 0; i < kills; ++i) {
    planned_kill k;
    k.victim = static_cast<uint32_t>(rnd.below(nodes));
    k.delay_ms = rnd.between(0, checkpoint_ms - 1);
    k.pause_ms = rnd.between(min_pause_ms, max_pause_ms);
    plan.kills.push_back(k);
  }
  // Which kills wait for a checkpoint in flight: a random half (rounded up).
  std::vector<uint32_t> order(kills);
  for (uint32_t i = 0; i < kills; ++i) order[i] = i;
  for (uint32_t i = kills; i > 1; --i)
    std::swap(order[i - 1], order[rnd.below(i)]);  // Fisher-Yates
  for (uint32_t i = 0; i < (kills + 1) / 2; ++i) {
    plan.kills[order[i]].moment = kill_moment::checkpoint_in_flight;
    plan.kills[order[i]].delay_ms = 0;
  }
  // Losing the coordinator's node is the harder case: a drill of 2+ kills includes it.
  auto hits_node0 = [&] {
    return std::any_of(plan.kills.begin(), plan.kills.end(),
                       [](const planned_kill& k) { return k.victim == 0; });
  };
  if (kills >= 2 && nodes >= 2 && !hits_node0()) plan.kills[rnd.below(kills)].victim = 0;
  if (rescale)
    plan.rescale =
      planned_rescale{rnd.between(0, checkpoint_ms - 1), rnd.between(min_pause_ms, max_pause_ms)};
  return plan;
}

}  // namespace rtfeat
