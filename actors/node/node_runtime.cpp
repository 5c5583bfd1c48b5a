// A node's life from its config to its exit status (see node_runtime.hpp).
#include "actors/node/node_runtime.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "actors/node/node_attempt.hpp"
#include "actors/node/node_membership.hpp"
#include "actors/node/node_restore.hpp"
#include "config/cluster_hash_tags.hpp"
#include "runtime/clock.hpp"
#include "runtime/cluster/member_replacement.hpp"
#include "runtime/cluster/membership.hpp"
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

/// Which node of the cluster this process is, and the membership it starts with.
bool select_member(const node_options& opt, node_setup& ns, std::string& error) {
  auto& cfg = ns.cfg;
  ns.seeds = cfg.nodes;
  if (!opt.join.empty()) {  // a node asking to be added: join_cluster waits for its membership
    if (cfg.nodes.empty())
      return error = opt.config + ": --join needs a cluster config ([[cluster.node]] seeds)", false;
    if (opt.node_id.empty())
      return error = "--join needs --node-id: the id this node joins as", false;
    ns.cluster = true;
    ns.node_id = opt.node_id;
    return true;
  }
  auto committed = cfg.nodes.empty()
                     ? result<std::optional<membership>>(std::optional<membership>{})
                     : load_membership(cfg.checkpoint_dir);
  if (!committed) return error = committed.error().message(), false;
  if (!*committed) {
    if (!select_cluster_node(cfg, opt.config, opt.node_id, ns.node_index, error)) return false;
    ns.cluster = cfg.nodes.size() > 1;
  } else if (opt.node_id.empty()) {
    return error = opt.config + ": membership epoch " + std::to_string((*committed)->epoch)
                   + " lists " + (*committed)->ids() + ": pick this process's one with --node-id",
           false;
  } else {
    ns.cluster = true;  // once a membership is committed, even one member is a cluster
  }
  if (!ns.cluster) return true;
  ns.node_id = opt.node_id.empty() ? cfg.nodes[ns.node_index].id : opt.node_id;
  bool member = false;
  std::string why_not;
  if (!apply_membership(ns, member, why_not, error)) return false;
  if (!member)
    return error = "node '" + ns.node_id + "' is not a member of the cluster: " + why_not
                   + "; it left or was removed: add it back with --join HOST:PORT of a member (the committed"
                   + " membership is in " + membership_dir(cfg.checkpoint_dir) + ")",
           false;
  return true;
}

/// Loads what this process is; false with `error` on a setup error (exit 2).
bool load_setup(const node_options& opt, node_setup& ns, std::string& error) {
  if (!load_job_config(opt.config, opt.overrides, ns.cfg, error) || !select_member(opt, ns, error)
      || !load_feature_catalogue(ns.cfg.features_file, ns.catalogue, error)
      || !check_redis(ns, error))
    return false;
  const auto& cfg = ns.cfg;
  if (ns.cluster) {
    // caf_openssl would only fail on these files mid-run, inside CAF's I/O thread.
    ns.transport = cluster_transport::from(cfg, opt.tls_io_hooks_active);
    if (auto why = ns.transport.check(); !why.empty()) return error = why, false;
  } else {
    placement place(
      1, static_cast<uint32_t>(cfg.source_partitions), static_cast<uint32_t>(cfg.max_parallelism),
      static_cast<uint32_t>(cfg.user_shards), static_cast<uint32_t>(cfg.category_shards));
    ns.partitions = place.partitions_of(0);
  }
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

/// After a loss, the cluster did not form again: a member silent for
/// cluster.replace_after_ms is replaced if this node decides (member_replacement.hpp).
void replace_silent(const node_setup& ns, const std::vector<bool>& reached,
                    std::chrono::steady_clock::time_point lost_since) {
  membership now;
  now.epoch = ns.epoch;
  now.members = ns.cfg.nodes;
  survivor_view v;
  v.me = ns.node_index;
  v.reached = reached;
  v.silent_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - lost_since)
                  .count();
  v.replace_after_ms = ns.cfg.cluster_replace_after_ms;
  auto d = decide_replacement(now, v, checkpoints_before(ns.cfg), wall_clock_ms());
  if (d.step != replacement_step::commit) {
    std::cerr << "node: waiting for the cluster to form: " << d.why << "\n";
    return;
  }
  if (auto done = commit_membership(ns.cfg.checkpoint_dir, *d.next_epoch); !done) {
    std::cerr << "node: " << done.message() << "\n";  // another survivor was first: follow it
    return;
  }
  std::cerr << "cluster: membership epoch " << d.next_epoch->epoch << " (" << d.next_epoch->ids()
            << "): " << d.next_epoch->change << "\n";
}

/// A cluster node rolls back when a peer is lost (docs/cluster.md): it restores the
/// last complete checkpoint and rejoins; the lost node is restarted with --restore latest.
/// Every attempt runs with the newest membership; a node the newest one leaves out exits 0.
exit_status run_cluster_node(const node_options& opt, node_setup& ns, node_status& status, stage_clock& stages) {
  // A joining node resumes from the checkpoint its membership was committed after.
  uint64_t floor_id = opt.restore.empty() && opt.join.empty() ? checkpoints_before(ns.cfg) : 0;
  std::string which = opt.join.empty() ? opt.restore : "latest";
  std::optional<std::chrono::steady_clock::time_point> lost_since;  // a peer lost, not back yet
  bool formed = false;  // this process ran in a formed cluster at least once
  for (int joins_refused = 0;;) {
    auto end = run_attempt(opt, ns, which, which == opt.restore ? 0 : floor_id, status, stages);
    const auto r = end.result;
    if (r == attempt_result::finished || r == attempt_result::failed) return end.status;
    // Before the cluster first formed a missing peer is a setup problem; after, it may be
    // gone for good.
    if (r == attempt_result::peer_lost || r == attempt_result::membership_changed) formed = true;
    if (r == attempt_result::peers_missing && !formed) return end.status;
    const auto now = std::chrono::steady_clock::now();
    if (r == attempt_result::peer_lost) lost_since = now;
    if (r == attempt_result::membership_changed) lost_since.reset();
    if (r == attempt_result::peers_missing) {
      if (!lost_since) lost_since = now;  // a member of a new epoch never came
      replace_silent(ns, end.reached, *lost_since);
    }
    bool member = true;
    std::string why_not, error;
    const auto epoch_before = ns.epoch;
    if (!apply_membership(ns, member, why_not, error)) {
      std::cerr << "rtfeat node: " << error << "\n";
      return exit_status::failed;
    }
    if (!member) {
      if (auto rejoined = rejoin_if_replaced(ns, error)) {
        if (*rejoined != exit_status::ok) {
          std::cerr << "rtfeat node: " << error << "\n";
          return *rejoined;
        }
        lost_since.reset();
        which = "latest";
        continue;
      }
      std::cerr << "node: left the cluster: " << why_not << "\n";
      return exit_status::ok;
    }
    if (r == attempt_result::join_retry) {
      // Peers restored another checkpoint or epoch (committed while this node chose): again.
      if (++joins_refused > 3) return exit_status::failed;
      continue;
    }
    joins_refused = 0;
    // A peer that stops for the new epoch may be seen as lost before the epoch is announced.
    if (ns.epoch != epoch_before)
      std::cerr << "node: membership epoch " << ns.epoch << " (" << ns.cfg.nodes.size()
                << " members): resuming from the newest checkpoint as member " << ns.node_index
                << "\n";
    else if (r == attempt_result::peer_lost)
      std::cerr << "node: rolling back to the last complete checkpoint and waiting for every node "
                   "to rejoin (a member silent for cluster.replace_after_ms = "
                << ns.cfg.cluster_replace_after_ms << " ms is replaced)\n";
    which = "latest";
  }
}

}  // namespace

node_outcome node_runtime::run(const node_options& opt) {
  stage_clock stages;  // from this process's start to processing, then per rollback
  node_setup ns;
  std::string error;
  std::unique_ptr<metrics_endpoint> metrics;
  if (!load_setup(opt, ns, error) || !start_metrics(opt, ns, metrics, error)) {
    std::cerr << "rtfeat node: " << error << "\n";
    return {exit_status::bad_setup};
  }
  ns.metrics = metrics.get();
  stages.mark("setup");
  if (!opt.join.empty()) {
    if (auto joined = join_cluster(opt, ns, error); joined != exit_status::ok) {
      std::cerr << "rtfeat node: --join: " << error << "\n";
      return {joined};
    }
    stages.mark("admission");
  }
  node_status status;  // across this process's attempts
  if (!ns.cluster) return {run_attempt(opt, ns, opt.restore, 0, status, stages).status};
  return {run_cluster_node(opt, ns, status, stages)};
}

}  // namespace rtfeat::node
