// Cluster connections (see cluster_connections.hpp).
#include "runtime/redis/cluster/cluster_connections.hpp"

#include <hiredis/hiredis.h>

#include <variant>

#include "config/host_port.hpp"

namespace rtfeat {

namespace {

timeval to_timeval(int ms) { return timeval{ms / 1000, static_cast<suseconds_t>(ms % 1000) * 1000}; }

}  // namespace

std::optional<node_address> parse_node_address(const std::string& text) {
  node_address a;
  if (!parse_host_port(text, a.host, a.port)) return std::nullopt;
  return a;
}

cluster_connections::cluster_connections(std::vector<node_address> seeds, redis_credentials credentials,
                                         int timeout_ms)
  : seeds_(std::move(seeds)), credentials_(std::move(credentials)), timeout_ms_(timeout_ms) {}

cluster_connections::~cluster_connections() { drop_all(); }

redisContext* cluster_connections::to(const node_address& node, std::string& error) {
  auto key = node.to_string();
  if (auto it = by_address_.find(key); it != by_address_.end()) return it->second;
  auto* c = redisConnectWithTimeout(node.host.c_str(), node.port, to_timeval(timeout_ms_));
  if (c == nullptr || c->err != 0) {
    error = "redis " + key + ": " + (c != nullptr ? c->errstr : "cannot allocate context");
    if (c != nullptr) redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, to_timeval(timeout_ms_));
  if (!redis_authenticate(c, credentials_, error)) {
    error = "redis " + key + ": " + error;
    redisFree(c);
    return nullptr;
  }
  by_address_.emplace(key, c);
  return c;
}

void cluster_connections::drop(const node_address& node) {
  auto it = by_address_.find(node.to_string());
  if (it == by_address_.end()) return;
  redisFree(it->second);
  by_address_.erase(it);
}

void cluster_connections::drop_all() {
  for (auto& [address, c] : by_address_) redisFree(c);
  by_address_.clear();
}

bool cluster_connections::refresh(std::string& error) {
  // The nodes we know first (a failed-over master's replica is the new master),
  // then the seeds.
  std::vector<node_address> candidates;
  if (map_) {
    for (const auto& m : map_->masters()) {
      candidates.push_back(m);
      for (const auto& r : map_->replicas_of(m)) candidates.push_back(r);
    }
  }
  candidates.insert(candidates.end(), seeds_.begin(), seeds_.end());
  error.clear();
  for (const auto& node : candidates) {
    std::string why;
    auto* c = to(node, why);
    if (c == nullptr) {
      error = why;
      continue;
    }
    auto* reply = static_cast<redisReply*>(redisCommand(c, "CLUSTER SLOTS"));
    if (reply == nullptr) {
      error = "redis " + node.to_string() + ": " + c->errstr;
      drop(node);
      continue;
    }
    auto parsed = slot_map::from_cluster_slots(reply, node.host);
    freeReplyObject(reply);
    if (auto* e = std::get_if<slot_map_error>(&parsed)) {
      error = "redis " + node.to_string() + ": " + e->detail;
      continue;
    }
    map_ = std::get<slot_map>(std::move(parsed));
    return true;
  }
  if (error.empty()) error = "no Redis Cluster node to ask (redis.nodes is empty)";
  error = "redis cluster (seeds " + seeds_text() + "): no node gave a slot map; last: " + error;
  return false;
}

std::string cluster_connections::seeds_text() const {
  std::string out;
  for (const auto& s : seeds_) out += (out.empty() ? "" : ",") + s.to_string();
  return out;
}

}  // namespace rtfeat
