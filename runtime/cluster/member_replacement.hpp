// Replacing members lost for good (docs/cluster.md "Lost for good"): after a
// peer is lost, the survivors wait for it; once it has been silent for
// cluster.replace_after_ms, the lowest-placed member that still reaches a strict
// majority of the membership commits the next epoch without the silent ones.
// A minority never decides: cut off by a network partition, it waits (and, when
// it is healed, finds the newer epoch and asks to join again). The rule is plain
// C++ here so that every case is tested on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cluster/membership.hpp"

namespace rtfeat {

/// What one survivor sees while the cluster forms again after a loss.
struct survivor_view {
  size_t me = 0;                 // this node's index in the current membership
  std::vector<bool> reached;     // per member: said hello in this round (me included)
  int64_t silent_ms = 0;         // since the loss was first seen
  int64_t replace_after_ms = 0;  // cluster.replace_after_ms; 0 = never replace
};

enum class replacement_step : uint8_t {
  wait,           // not silent long enough (or replacement is off): try again
  wait_minority,  // this node reaches no majority: it must not decide, nor run
  wait_decider,   // a lower-placed member that this node reaches decides
  commit,         // this node commits next_epoch
};

struct replacement_decision {
  replacement_step step = replacement_step::wait;
  std::optional<membership> next_epoch;  // with commit: the members it reached
  std::string why;                       // one line for the log
};

/// The step for `v` in `current`; `checkpoint_id` and `now_ms` go into the new epoch.
replacement_decision decide_replacement(const membership& current, const survivor_view& v,
                                        uint64_t checkpoint_id, int64_t now_ms);

}  // namespace rtfeat
