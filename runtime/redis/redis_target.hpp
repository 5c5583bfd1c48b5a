// Which Redis a job's config points at (one redis-server, or a Redis Cluster
// through its seeds), for every command that connects: names for log lines,
// the seeds parsed, and a start-up check.
#pragma once

#include <string>
#include <vector>

#include "config/job_config.hpp"
#include "runtime/redis/cluster/node_address.hpp"

namespace rtfeat {

/// "redis 127.0.0.1:6379" or "redis cluster (seeds 127.0.0.1:7000,...)".
std::string redis_target_text(const job_config& cfg);
/// redis.nodes parsed. REQUIRES: the config was validated (every seed is host:port).
std::vector<node_address> redis_cluster_seeds(const job_config& cfg);
/// Reads the cluster's slot map once; false with why not (every seed unreachable,
/// slots without a master, refused credentials).
bool probe_redis_cluster(const job_config& cfg, std::string& error);
/// One line per Redis (every master of a cluster) that would evict feature keys
/// silently: maxmemory set with a policy other than noeviction (every feature key
/// has a TTL, so volatile-* policies evict them too). A Redis (or cluster) that
/// cannot be reached, or refuses CONFIG GET, gets a line saying its policy is unknown.
std::vector<std::string> redis_eviction_warnings(const job_config& cfg);

}  // namespace rtfeat
