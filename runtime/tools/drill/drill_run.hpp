// `rtfeat drill` end to end (docs/cluster.md "Recovery drill"): services, events,
// the cluster with its kills and rescale, the oracle diff, the report.
#pragma once

#include <atomic>

#include "runtime/tools/drill/drill_options.hpp"

namespace rtfeat {

/// Set by SIGINT / SIGTERM (drill_command.cpp); every wait of the drill checks it
/// and the drill then ends every child and removes its work dir.
extern std::atomic<bool> drill_stop_requested;

/// Runs the drill and prints the report. Returns the exit code: 0 = passed,
/// 1 = failed (a difference, lost data, a node failing, interrupted), 2 = bad input.
/// REQUIRES: validate_drill_options(o).empty().
int run_drill(const drill_options& o);

}  // namespace rtfeat
