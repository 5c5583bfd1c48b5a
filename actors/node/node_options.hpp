// What a program asks of node_runtime::run: the flags of `rtfeat node`, and the
// two things only the program has (its /metrics server, its TLS I/O hooks).
#pragma once

#include <string>
#include <vector>

#include "actors/node/metrics_endpoint.hpp"

namespace rtfeat::node {

struct node_options {
  std::string config = "config/rtfeat.toml";
  std::vector<std::string> overrides;  // section.key=value, as --set
  bool drain = false;
  std::string stats;                // --stats: final counters as JSON ("" = none)
  std::string restore;              // "", "latest" or an id
  bool allow_catalogue_change = false;
  bool resync = false;              // rewrite every key from state at start
  std::string node_id;              // cluster: which [[cluster.node]] this process is
  std::string join;                 // cluster: "host:port" of a member; ask to be added ("" = no)
  std::string listen;               // with join: this node's "host:port" if not in the config
  std::string status_file;          // rewritten each time the readers start (runtime/lifecycle/node_status.hpp)
  /// Serves /metrics when metrics.port > 0; null: not served.
  metrics_endpoint_factory metrics;
  /// Whether caf_openssl's SSL I/O calls resolve to the program's (cmd/tls_io_hooks.cpp);
  /// cluster.tls is refused without them.
  bool tls_io_hooks_active = false;
};

}  // namespace rtfeat::node
