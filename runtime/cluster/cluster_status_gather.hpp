// The inputs of `rtfeat cluster status`, gathered: each member's cluster port
// probed, the newest complete checkpoint of the shared checkpoint directory,
// and every partition's end offset from Kafka. What cannot be had becomes a
// warning and an unknown in the status, never a failure of the command.
#pragma once

#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/cluster/cluster_status.hpp"

namespace rtfeat {

/// REQUIRES: cfg.nodes not empty. Blocks: one connect per member (up to
/// `probe_timeout_ms` each), a directory scan, Kafka metadata (up to 10 s when
/// the brokers are down).
cluster_status gather_cluster_status(const job_config& cfg, int probe_timeout_ms,
                                     std::vector<std::string>& warnings);

}  // namespace rtfeat
