// A cluster node's membership (docs/cluster.md "Membership"): every attempt
// runs with the newest committed epoch, and `--join` asks node 0 to add this
// node and waits until an epoch lists it.
#pragma once

#include <optional>
#include <string>

#include "actors/node/node_attempt.hpp"
#include "actors/node/node_options.hpp"
#include "runtime/lifecycle/exit_status.hpp"

namespace rtfeat::node {

/// Runs with the newest committed membership (the config's node list before any):
/// sets ns.cfg.nodes, ns.epoch, this node's index and partitions. False with
/// `error` when it cannot be read; `member` says whether ns.node_id is in it
/// (`why_not` then names the epoch and its members).
bool apply_membership(node_setup& ns, bool& member, std::string& why_not, std::string& error);

/// --join: unless ns.node_id is a member already, checks that a member listens at
/// opt.join, files a join request with this node's address (opt.listen, or its
/// entry in the config's node list) and waits until node 0 committed an epoch
/// listing it (cluster.connect_timeout_ms + checkpoint.interval_ms), then applies
/// it. ok, bad_setup (no address, nothing listens there, refused) or failed
/// (timed out: the request is withdrawn), with `error`.
exit_status join_cluster(const node_options& opt, node_setup& ns, std::string& error);

/// A node the newest epoch left out because it was silent (a replacement, not a
/// leave) asks to join again with its old address, through the first member;
/// nullopt when the newest epoch is not a replacement. Waits like join_cluster.
std::optional<exit_status> rejoin_if_replaced(node_setup& ns, std::string& error);

}  // namespace rtfeat::node
