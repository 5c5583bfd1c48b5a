// The node list of a cluster config (`[[cluster.node]]` in the job config,
// docs/cluster.md): which processes form the job and where they listen. Its
// order is the placement order (runtime/cluster/placement.hpp): node 0 also
// runs the checkpoint coordinator.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtfeat {

struct cluster_node {
  std::string id;                  // [A-Za-z0-9_-]{1,64}, unique
  std::string host = "127.0.0.1";  // the interface this node's CAF port binds to
  int64_t port = 0;                // 1..65535; host:port unique

  /// "host:port"
  std::string address() const { return host + ":" + std::to_string(port); }
};

struct job_config;

/// 1-64 of A-Z a-z 0-9 _ - (so an id is also a safe file name).
bool valid_node_id(std::string_view id);

/// Picks this process's node: `node_id` must name one of `cfg.nodes`. An empty
/// `node_id` is allowed only when the list has at most one node (the single
/// node of a one-node list, or single-node mode without a list: index 0).
/// `config_path` is named in the errors.
bool select_cluster_node(const job_config& cfg, const std::string& config_path, const std::string& node_id,
                         size_t& index, std::string& error);

/// Everything every node must agree on for placement to be the same
/// everywhere: the node list, partitions, key groups, shards and sinks per
/// node. Nodes compare it in the handshake; readable so a mismatch can be shown.
std::string cluster_fingerprint(const job_config& cfg);

}  // namespace rtfeat
