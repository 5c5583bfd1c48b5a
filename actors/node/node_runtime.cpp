// A node's life from its config to its exit status (see node_runtime.hpp).
#include "actors/node/node_runtime.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

#include "actors/node/node_attempt.hpp"
#include "actors/node/node_restore.hpp"
#include "config/cluster_hash_tags.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/redis/redis_reader.hpp"
#include "runtime/redis/redis_target.hpp"

namespace rtfeat::node {

namespace {

/// Credentials Redis refuses are a config error that no retry fixes: false. An
/// unreachable Redis may come up later; the sinks retry and drop nothing meanwhile.
bool check_redis(const node_setup& ns, std::string& error) {
  const auto& cfg = ns.cfg;
  if (cfg.redis_cluster && !check_cluster_hash_tags(ns.catalogue, error)) return false;
  if (cfg.redis_cluster) {
    // The sinks retry an unreachable cluster; say so at start rather than only in their retries.
    if (!probe_redis_cluster(cfg, error)) std::cerr << "node: warning: " << error << " (the sinks retry until it is up)\n";
  } else if (redis_reader probe; !probe.connect(cfg.redis_host, static_cast<int>(cfg.redis_port), 2000, error,
                                          redis_credentials_from_env(cfg.redis_username))) {
    if (probe.refused()) return false;
    std::cerr << "node: warning: " << error << " (the sinks retry until it is up)\n";
  }
  error.clear();
  for (const auto& why : redis_eviction_warnings(cfg)) std::cerr << "node: warning: " << why << "\n";
  return true;
}

/// Loads what this process is; false with `error` on a setup error (exit 2).
bool load_setup(const node_options& opt, node_setup& ns, std::string& error) {
  if (!load_job_config(opt.config, opt.overrides, ns.cfg, error)
      || !select_cluster_node(ns.cfg, opt.config, opt.node_id, ns.node_index, error)
      || !load_feature_catalogue(ns.cfg.features_file, ns.catalogue, error) || !check_redis(ns, error))
    return false;
  const auto& cfg = ns.cfg;
  ns.cluster = cfg.nodes.size() > 1;
  if (ns.cluster) {
    // caf_openssl would only fail on these files mid-run, inside CAF's I/O thread.
    ns.transport = cluster_transport::from(cfg, opt.tls_io_hooks_active);
    if (auto why = ns.transport.check(); !why.empty()) return error = why, false;
  }
  placement place(static_cast<uint32_t>(std::max<size_t>(cfg.nodes.size(), 1)),
                  static_cast<uint32_t>(cfg.source_partitions), static_cast<uint32_t>(cfg.max_parallelism),
                  static_cast<uint32_t>(cfg.user_shards), static_cast<uint32_t>(cfg.category_shards));
  ns.partitions = place.partitions_of(static_cast<uint32_t>(ns.node_index));
  ns.plan = std::make_shared<const feature_plan>(build_feature_plan(ns.catalogue));
  return true;
}

/// Serves /metrics when metrics.port > 0 and the program gave a server; false on a bind error.
bool start_metrics(const node_options& opt, const node_setup& ns, std::unique_ptr<metrics_endpoint>& out,
                   std::string& error) {
  const auto& cfg = ns.cfg;
  if (cfg.metrics_port <= 0 || !opt.metrics) return true;
  out = opt.metrics(cfg.metrics_host, static_cast<int>(cfg.metrics_port),
                    ns.cluster ? cfg.nodes[ns.node_index].id : "local", error);
  if (!out) return false;
  std::cerr << "node: metrics on http://" << cfg.metrics_host << ":" << cfg.metrics_port << "/metrics\n";
  return true;
}

/// A cluster node rolls back when a peer is lost (docs/cluster.md): it restores the
/// last complete checkpoint and rejoins; the lost node is restarted with --restore latest.
exit_status run_cluster_node(const node_options& opt, const node_setup& ns, node_status& status) {
  uint64_t floor_id = opt.restore.empty() ? checkpoints_before(ns.cfg) : 0;
  std::string which = opt.restore;
  for (int joins_refused = 0;;) {
    auto [r, ended] = run_attempt(opt, ns, which, which == opt.restore ? 0 : floor_id, status);
    if (r == attempt_result::finished || r == attempt_result::failed) return ended;
    if (r == attempt_result::join_retry) {
      // Peers restored another checkpoint: one committed while this node chose. Choose again.
      if (++joins_refused > 3) return exit_status::failed;
      continue;
    }
    joins_refused = 0;
    std::cerr << "node: rolling back to the last complete checkpoint and waiting for every node to rejoin\n";
    which = "latest";
  }
}

}  // namespace

node_outcome node_runtime::run(const node_options& opt) {
  node_setup ns;
  std::string error;
  std::unique_ptr<metrics_endpoint> metrics;
  if (!load_setup(opt, ns, error) || !start_metrics(opt, ns, metrics, error)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return {exit_status::bad_setup};
  }
  ns.metrics = metrics.get();
  node_status status;  // across this process's attempts
  if (!ns.cluster) return {run_attempt(opt, ns, opt.restore, 0, status).status};
  return {run_cluster_node(opt, ns, status)};
}

}  // namespace rtfeat::node
