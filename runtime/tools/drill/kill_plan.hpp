// The random part of `rtfeat drill`, drawn up front from --seed so a drill can be
// repeated: which node each kill hits, what moment it waits for (a checkpoint in
// flight, or a random delay after a completed one), how long the operator pauses
// before restarting it, and when the rescale stops the cluster.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/tools/drill/membership_plan.hpp"

namespace rtfeat {

enum class kill_moment : uint8_t {
  checkpoint_in_flight,  // once one checkpoint is complete: as soon as a newer one's files appear
  after_checkpoint,      // `delay_ms` after a new MANIFEST appeared
};

std::string_view to_string(kill_moment m);

struct planned_kill {
  uint32_t victim = 0;  // node index (0 = the coordinator's node)
  kill_moment moment = kill_moment::after_checkpoint;
  int64_t delay_ms = 0;  // after_checkpoint only: in [0, checkpoint interval)
  int64_t pause_ms = 0;  // SIGKILL -> restart, in [min_pause_ms, max_pause_ms]
};

struct planned_rescale {
  int64_t delay_ms = 0;  // after a new MANIFEST, in [0, checkpoint interval)
  int64_t pause_ms = 0;  // SIGKILL of every node -> start of the new node list
};

struct drill_plan {
  std::vector<planned_kill> kills;
  std::optional<planned_rescale> rescale;
  std::vector<planned_membership_change> membership;  // after the kills (membership_plan.hpp)
};

inline constexpr int64_t min_pause_ms = 200;
inline constexpr int64_t max_pause_ms = 1000;

/// The plan for `kills` kills of an `nodes`-node cluster (and a rescale when
/// `rescale`). Half the kills (rounded up) wait for a checkpoint in flight, at
/// random positions; with two kills or more on several nodes, node 0 (which runs
/// the coordinator) is among the victims. Same arguments, same plan.
/// Every draw comes from `seed` alone. REQUIRES: nodes >= 1, checkpoint_ms >= 1.
drill_plan plan_drill(uint64_t seed, uint32_t nodes, uint32_t kills, bool rescale,
                      int64_t checkpoint_ms);

}  // namespace rtfeat
