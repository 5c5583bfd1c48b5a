// Internal to the job config loader: reads the `[[cluster.node]]` array of
// tables and validates it. Not for use elsewhere.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/cluster_nodes.hpp"

namespace rtfeat {

/// Parses `value` (the TOML node of `cluster.node` in file `path`) into `out`.
/// Every error names the file, the line and the key, e.g.
/// "cluster.toml:14: cluster.node[2].port: expected 1..65535, got 70000".
bool parse_cluster_nodes(const toml::node& value, const std::string& path, std::vector<cluster_node>& out,
                         std::string& error);

}  // namespace rtfeat
