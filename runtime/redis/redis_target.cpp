// Redis target of a job (see redis_target.hpp).
#include "runtime/redis/redis_target.hpp"

#include "runtime/redis/cluster/cluster_connections.hpp"
#include "runtime/redis/redis_auth.hpp"

namespace rtfeat {

std::string redis_target_text(const job_config& cfg) {
  if (!cfg.redis_cluster) return "redis " + cfg.redis_host + ":" + std::to_string(cfg.redis_port);
  std::string seeds;
  for (const auto& n : cfg.redis_nodes) seeds += (seeds.empty() ? "" : ",") + n;
  return "redis cluster (seeds " + seeds + ")";
}

std::vector<node_address> redis_cluster_seeds(const job_config& cfg) {
  std::vector<node_address> out;
  for (const auto& n : cfg.redis_nodes)
    if (auto a = parse_node_address(n)) out.push_back(*a);
  return out;
}

bool probe_redis_cluster(const job_config& cfg, std::string& error) {
  cluster_connections conns(redis_cluster_seeds(cfg), redis_credentials_from_env(cfg.redis_username), 2000);
  return conns.refresh(error);
}

}  // namespace rtfeat
