// Why a node's run ends and what its exit status says: the facts of the run go
// in, one status and one sentence come out (the last line `rtfeat node` prints,
// which the integration tests and the drill read).
#pragma once

#include <string>

#include "actors/node/node_finish.hpp"
#include "runtime/lifecycle/exit_status.hpp"

namespace rtfeat::node {

struct conclusion {
  exit_status status = exit_status::failed;
  std::string why;
  /// "rtfeat node: exit 3 (checkpoint failed): finished; no final checkpoint (...)"
  std::string line() const;
};

/// `checkpoint_why` says why there is no final checkpoint when out.checkpoints_on
/// and it did not commit.
conclusion conclude(const run_outcome& out, const sink_wait& w, const std::string& checkpoint_why);

}  // namespace rtfeat::node
