// The one writer of generated cluster configs: a job config with its node list
// replaced by n nodes ("n1".."nN") on fresh loopback ports, written with
// job_config_toml and read back. Used by `rtfeat cluster config` (and through
// it the shell tests and scripts/cluster-bench) and by the drill.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/tools/drill/loopback_port.hpp"

namespace rtfeat {

/// Writes `base` with `nodes` loopback nodes to `path`; every path-valued key is
/// written absolute, so the file works from any directory. False with `error`
/// when no free port is left or the written file does not load back.
/// `out` gets the node list written.
bool write_cluster_config(job_config base, uint32_t nodes, loopback_ports& ports, const std::string& path,
                          std::vector<cluster_node>& out, std::string& error);

}  // namespace rtfeat
