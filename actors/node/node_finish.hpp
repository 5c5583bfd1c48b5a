// How a running node ends: it waits for every sink to write everything, passes
// an operator's stop on to the readers, gives up when a sink stalls or the
// stop outlives node.shutdown_timeout_ms, and takes the final checkpoint.
#pragma once

#include <string>

#include "caf/actor.hpp"
#include "caf/scoped_actor.hpp"
#include "actors/job_graph.hpp"
#include "actors/node/node_report.hpp"
#include "actors/node/node_sources.hpp"
#include "actors/node/shutdown_watchdog.hpp"
#include "config/job_config.hpp"

namespace rtfeat::node {

struct sink_wait {
  bool ok = true;          // every sink reported everything written
  bool stopped = false;    // a stop signal (or a cluster peer's stop) ended the run early
  bool lost = false;       // a cluster peer went away
  bool timed_out = false;  // the stop outlived the watchdog's soft deadline
  uint64_t new_epoch = 0;  // a cluster's membership changed: this run ends, the next uses the epoch
  std::string failure;     // why not ok: a sink's stall, a lost peer
};

/// Waits for every sink to report; prints progress meanwhile. In a cluster,
/// `agent` passes a stop on to every peer (and tells us of theirs).
/// Runs in: the node's main thread (blocking).
sink_wait wait_for_sinks(caf::scoped_actor& self, const job_graph& g, const job_config& cfg, node_sources& src,
                         node_report& report, const caf::actor& agent, shutdown_watchdog& watchdog);

/// The last checkpoint of a drained or stopped run: final state and end
/// offsets, so that `--restore latest` resumes after them. A stop bounds it by
/// the watchdog's soft deadline. False with `why` when it did not commit.
bool final_checkpoint(caf::scoped_actor& self, const job_graph& g, const job_config& cfg,
                      const shutdown_watchdog& watchdog, std::string& why);

/// "SIGTERM", "SIGINT", or "signal N".
std::string signal_name(int signo);

}  // namespace rtfeat::node
