// A cluster node's membership (see node_membership.hpp).
#include "actors/node/node_membership.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "actors/node/node_restore.hpp"
#include "config/host_port.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/cluster/membership_requests.hpp"
#include "runtime/cluster/placement.hpp"
#include "runtime/cluster/tcp_probe.hpp"

namespace rtfeat::node {

namespace {

/// This node's address: --listen, else its entry in the config's node list.
bool own_address(const node_options& opt, const node_setup& ns, cluster_node& me,
                 std::string& error) {
  me.id = ns.node_id;
  if (!opt.listen.empty()) {
    int port = 0;
    if (!parse_host_port(opt.listen, me.host, port))
      return error = "--listen: expected HOST:PORT, got '" + opt.listen + "'", false;
    me.port = port;
    return true;
  }
  for (const auto& n : ns.seeds)
    if (n.id == ns.node_id) return me = n, true;
  return error = "'" + ns.node_id
                 + "' is not in the config's node list: give its address with --listen HOST:PORT",
         false;
}

/// Node 0 drops a request it acted on or refused; a joiner not yet listed whose
/// request is gone was refused.
bool still_pending(const std::string& checkpoint_dir, const membership_request& r) {
  for (const auto& p : pending_requests(checkpoint_dir))
    if (p.what == r.what && p.node.id == r.node.id) return true;
  return false;
}

}  // namespace

bool apply_membership(node_setup& ns, bool& member, std::string& why_not, std::string& error) {
  auto m = current_membership(ns.cfg.checkpoint_dir, ns.seeds);
  if (!m) return error = m.error().message(), false;
  auto index = m->index_of(ns.node_id);
  member = index.has_value();
  if (!member) {
    why_not = "membership epoch " + std::to_string(m->epoch) + " lists " + m->ids() + " ("
              + m->change + ")";
    return true;
  }
  auto& cfg = ns.cfg;
  cfg.nodes = m->members;
  ns.node_index = *index;
  ns.epoch = m->epoch;
  placement place(
    static_cast<uint32_t>(cfg.nodes.size()), static_cast<uint32_t>(cfg.source_partitions),
    static_cast<uint32_t>(cfg.max_parallelism), static_cast<uint32_t>(cfg.user_shards),
    static_cast<uint32_t>(cfg.category_shards));
  ns.partitions = place.partitions_of(static_cast<uint32_t>(ns.node_index));
  ns.key_groups = place.key_groups_of(static_cast<uint32_t>(ns.node_index));
  return true;
}

namespace {

/// Files a join request for `me` once a member listens at `probe` and waits until
/// an epoch lists this node.
exit_status join_as(node_setup& ns, const cluster_node& me, const std::string& probe,
                    std::string& error) {
  bool member = false;
  std::string why_not;
  if (!apply_membership(ns, member, why_not, error)) return exit_status::bad_setup;
  if (member) {
    std::cerr << "node: --join: '" << ns.node_id << "' is a member of membership epoch " << ns.epoch
              << " already\n";
    return exit_status::ok;
  }
  membership_request join;
  join.what = membership_request::kind::join;
  join.node = me;
  std::string host;
  int port = 0;
  if (!parse_host_port(probe, host, port))
    return error = "expected HOST:PORT, got '" + probe + "'", exit_status::bad_setup;
  if (!tcp_port_open(host, port, 2000))
    return error = "no cluster member listens on " + probe + " (is the cluster running?)",
           exit_status::bad_setup;
  if (auto filed = file_request(ns.cfg.checkpoint_dir, join); !filed)
    return error = filed.message(), exit_status::bad_setup;
  std::cerr << "node: asked to " << join.text() << " the cluster (" << why_not
            << "); node 0 adds it after its next checkpoint\n";
  // Node 0 takes the request after a checkpoint; a loaded cluster's checkpoints take
  // seconds (one join failed after 2 s while the cluster was fine), so the wait is long
  // and says where it stands.
  const auto timeout_ms =
    ns.cfg.cluster_connect_timeout_ms + std::max<int64_t>(20 * ns.cfg.checkpoint_interval_ms, 30000);
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::milliseconds(timeout_ms);
  auto next_word = started + std::chrono::seconds(5);
  const uint64_t checkpoint_at_request = checkpoints_before(ns.cfg);
  for (;;) {
    if (!apply_membership(ns, member, why_not, error)) return exit_status::failed;
    if (member) break;
    if (!still_pending(ns.cfg.checkpoint_dir, join)) {
      // Node 0 commits the membership before it drops the request: look once more.
      if (!apply_membership(ns, member, why_not, error)) return exit_status::failed;
      if (member) break;
      return error = "node 0 refused to " + join.text() + " (its log says why): " + why_not,
             exit_status::bad_setup;
    }
    const auto now = std::chrono::steady_clock::now();
    auto committed = [&] {  // a directory scan: only when the node says something
      const uint64_t newest = checkpoints_before(ns.cfg);  // 0 when the directory cannot be read
      return std::to_string(newest > checkpoint_at_request ? newest - checkpoint_at_request : 0);
    };
    if (now >= deadline) {
      drop_request(ns.cfg.checkpoint_dir, join);
      return error = "no membership listed '" + ns.node_id + "' within " + std::to_string(timeout_ms)
                     + " ms (" + committed() + " checkpoints committed meanwhile; " + why_not
                     + "); the request is withdrawn",
             exit_status::failed;
    }
    if (now >= next_word) {
      next_word = now + std::chrono::seconds(5);
      std::cerr << "node: --join: waiting for node 0 to add '" << ns.node_id << "' (" << committed()
                << " checkpoints committed since the request)\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cerr << "node: joined: membership epoch " << ns.epoch << " lists " << ns.cfg.nodes.size()
            << " members, this node is member " << ns.node_index << "\n";
  return exit_status::ok;
}

}  // namespace

exit_status join_cluster(const node_options& opt, node_setup& ns, std::string& error) {
  cluster_node me;
  if (!own_address(opt, ns, me, error)) return exit_status::bad_setup;
  return join_as(ns, me, opt.join, error);
}

std::optional<exit_status> rejoin_if_replaced(node_setup& ns, std::string& error) {
  auto m = current_membership(ns.cfg.checkpoint_dir, ns.seeds);
  if (!m) return error = m.error().message(), exit_status::failed;
  if (!m->change.starts_with("replace ") || m->members.empty()) return std::nullopt;
  const auto me = ns.cfg.nodes[ns.node_index];  // this node's entry in the epoch it ran with
  std::cerr << "node: membership epoch " << m->epoch << " (" << m->change
            << ") replaced this node while it was cut off: asking to join again\n";
  return join_as(ns, me, m->members.front().address(), error);
}

}  // namespace rtfeat::node
