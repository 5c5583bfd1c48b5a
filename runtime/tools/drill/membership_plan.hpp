// The membership changes of `rtfeat drill` (--join-at, --leave-at, --lose): the
// flag checks, and the order the drill runs them in. They come after the kills
// (whose restarts use the seed node list), the timed ones by their time, then the
// loss, whose replacement needs a majority of the members left at that point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/tools/drill/drill_options.hpp"

namespace rtfeat {

/// The nodes' cluster.replace_after_ms and cluster.connect_timeout_ms in a drill
/// with --lose: short, so the replacement comes within seconds, but longer than a
/// kill's restart (pause <= 1 s plus the node's start) so a kill is never replaced.
inline constexpr int64_t drill_replace_after_ms = 4000;
inline constexpr int64_t drill_connect_timeout_ms = 1500;

enum class membership_change_kind : uint8_t { join, leave, replace };

/// "join", "leave", "replace": also the first word of the epoch's `change`.
std::string_view to_string(membership_change_kind k);

struct planned_membership_change {
  membership_change_kind kind = membership_change_kind::join;
  std::string node;      // the joiner, the leaver, or the node lost (and replaced)
  double at_s = 0;       // join/leave: seconds after the cluster first processed
  int64_t delay_ms = 0;  // replace: SIGKILL this long after a new checkpoint
};

/// True when any of --join-at, --leave-at, --lose is given.
bool has_membership_changes(const drill_options& o);

/// The id the drill gives the node that joins: one past the seed list ("n4" of 3).
std::string joiner_id(uint32_t nodes);

/// Empty when the membership flags make sense with the rest, else the error.
std::string validate_membership_options(const drill_options& o);

/// The changes in the order the drill runs them; the leaver resolved (by default
/// the last member but the coordinator and the node to lose, the joiner when it
/// joined before). Same options, same plan. REQUIRES: validate_membership_options(o).empty().
std::vector<planned_membership_change> plan_membership(const drill_options& o);

}  // namespace rtfeat
