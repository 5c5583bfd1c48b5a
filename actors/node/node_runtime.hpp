// The one entry point of a node's life (docs/architecture.md "A node's life"):
// load the config and catalogue, check Redis and the cluster's TLS files, serve
// /metrics, then run attempts (node_attempt.hpp) until the job ends; a cluster
// node whose peer is lost rolls back to the last complete checkpoint and rejoins.
// `rtfeat node` is flag parsing around this; the drill starts such processes and
// reads their --status-file.
#pragma once

#include "actors/node/node_options.hpp"
#include "runtime/lifecycle/exit_status.hpp"

namespace rtfeat::node {

struct node_outcome {
  exit_status status = exit_status::failed;
  int exit_code() const { return rtfeat::exit_code(status); }
};

class node_runtime {
public:
  /// Runs the node to its end. Prints its progress and conclusion on stderr, and
  /// --stats / --status-file as asked. A second stop signal or a stop past
  /// node.shutdown_timeout_ms ends the process from the watchdog thread
  /// (shutdown_watchdog.hpp) instead of returning.
  /// REQUIRES: install_stop_signals() was called (runtime/lifecycle/stop_signals.hpp).
  /// Runs in: the calling thread, which it blocks until the end.
  static node_outcome run(const node_options& opt);
};

}  // namespace rtfeat::node
