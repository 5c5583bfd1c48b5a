// The cluster part of a drill: start the nodes, kill one at each planned moment
// and restart it, optionally stop them all and start a longer or shorter node
// list, then wait for the drain, timing every rollback from the nodes' logs.
#pragma once

#include <string>

#include "runtime/tools/drill/checkpoint_watch.hpp"
#include "runtime/tools/drill/drill_cluster.hpp"
#include "runtime/tools/drill/drill_options.hpp"
#include "runtime/tools/drill/drill_report.hpp"
#include "runtime/tools/drill/drill_services.hpp"
#include "runtime/tools/drill/kill_plan.hpp"

namespace rtfeat {

struct drill_context {
  const drill_options& options;
  drill_cluster& cluster;
  drill_services& services;
  checkpoint_watch& checkpoints;
  std::string checkpoint_dir;
  uint64_t events = 0;
};

/// Runs `plan` on the cluster and fills the report's kills, rescale, checkpoints,
/// restores, final checkpoint and cluster time. False (with the reason in
/// r.failures) when a node fails, a service stops, the cluster drains before the
/// plan is done, a wait times out or the drill is interrupted.
/// Runs in: the drill's main thread (the one that starts the children).
bool run_drill_scenario(drill_context& ctx, const drill_plan& plan, drill_report& r);

}  // namespace rtfeat
