// Redis target of a job (see redis_target.hpp).
#include "runtime/redis/redis_target.hpp"

#include <hiredis/hiredis.h>

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

namespace {

/// Unknown is not fine: a master whose policy could not be read may evict.
std::string unreadable(const std::string& where, const std::string& why) {
  return where + ": cannot read its maxmemory-policy (" + why
         + "): check that it does not evict (docs/redis-cluster.md \"Memory\")";
}

/// "" when `c` keeps what it is given; else why it may not (or why that is unknown).
std::string eviction_risk(redisContext* c, const std::string& where) {
  auto* reply = static_cast<redisReply*>(redisCommand(c, "CONFIG GET maxmemory*"));
  if (reply == nullptr) return unreadable(where, c->errstr[0] != 0 ? c->errstr : "no reply");
  if (reply->type == REDIS_REPLY_ERROR) {  // CONFIG renamed or denied by an ACL: unknown too
    std::string why(reply->str, reply->len);
    freeReplyObject(reply);
    return unreadable(where, why);
  }
  std::string maxmemory = "0", policy = "noeviction";
  if (reply->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i + 1 < reply->elements; i += 2) {
      std::string name(reply->element[i]->str, reply->element[i]->len);
      std::string value(reply->element[i + 1]->str, reply->element[i + 1]->len);
      if (name == "maxmemory") maxmemory = value;
      if (name == "maxmemory-policy") policy = value;
    }
  }
  freeReplyObject(reply);
  if (maxmemory == "0" || policy == "noeviction") return "";
  return where + " has maxmemory " + maxmemory + " with maxmemory-policy " + policy
         + ": once full it evicts feature keys silently (every feature key has a TTL, so volatile-* policies"
           " evict them too); use noeviction (writes then fail loudly and are retried) and size maxmemory"
           " (docs/redis-cluster.md \"Memory\")";
}

}  // namespace

std::vector<std::string> redis_eviction_warnings(const job_config& cfg) {
  std::vector<std::string> out;
  const auto credentials = redis_credentials_from_env(cfg.redis_username);
  if (cfg.redis_cluster) {
    cluster_connections conns(redis_cluster_seeds(cfg), credentials, 2000);
    std::string error;
    if (!conns.refresh(error)) return {unreadable("every master of the Redis Cluster", error)};
    for (const auto& m : conns.map().masters()) {
      auto* c = conns.to(m, error);
      if (c == nullptr) {
        out.push_back(unreadable("redis " + m.to_string(), error));
        continue;
      }
      if (auto why = eviction_risk(c, "redis " + m.to_string()); !why.empty()) out.push_back(why);
    }
    return out;
  }
  cluster_connections one({}, credentials, 2000);
  std::string error;
  node_address node{.host = cfg.redis_host, .port = static_cast<int>(cfg.redis_port)};
  if (auto* c = one.to(node, error); c == nullptr) {
    out.push_back(unreadable("redis " + node.to_string(), error));
  } else if (auto why = eviction_risk(c, "redis " + node.to_string()); !why.empty()) {
    out.push_back(why);
  }
  return out;
}

bool probe_redis_cluster(const job_config& cfg, std::string& error) {
  cluster_connections conns(redis_cluster_seeds(cfg), redis_credentials_from_env(cfg.redis_username), 2000);
  return conns.refresh(error);
}

}  // namespace rtfeat
