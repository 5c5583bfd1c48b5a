// Cluster membership as committed state (issue 16, docs/cluster.md "Membership"):
// the member list and its epoch live beside the checkpoints, in
// <checkpoint.dir>/membership/epoch-<N>.json. The config's [[cluster.node]] list
// is the seed (epoch 0, never written); every change commits epoch N+1 after a
// checkpoint, and every node runs with the newest committed epoch. A commit
// creates its file exclusively, so two nodes can never both commit epoch N+1:
// the loser is fenced and re-reads. Requests to change it: membership_requests.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_nodes.hpp"
#include "runtime/status.hpp"

namespace rtfeat {

struct membership {
  uint64_t epoch = 0;                 // 0: the config's node list, nothing committed yet
  std::vector<cluster_node> members;  // in placement order: members[0] runs the coordinator
  uint64_t checkpoint_id = 0;         // the checkpoint the members resume from (0 = none)
  int64_t created_ms = 0;             // wall clock of the commit
  std::string change;                 // what made this epoch, e.g. "leave n2"

  /// The member's index, or nullopt.
  std::optional<size_t> index_of(std::string_view id) const;
  /// "n1, n2, n3"
  std::string ids() const;
};

/// <checkpoint_dir>/membership
std::string membership_dir(const std::string& checkpoint_dir);

/// The newest committed membership, or nullopt when none is committed (a missing
/// directory included). Bad input when a file of the directory is unreadable or
/// malformed (named), so a node never runs with an older epoch by mistake.
result<std::optional<membership>> load_membership(const std::string& checkpoint_dir);

/// What a cluster runs with: the newest committed membership in `checkpoint_dir`,
/// else epoch 0 with `seeds`, the config's node list.
result<membership> current_membership(const std::string& checkpoint_dir,
                                      const std::vector<cluster_node>& seeds);

/// Commits `m` as epoch m.epoch: writes and fsyncs a temporary file, links it to
/// epoch-<N>.json (which fails if that exists) and fsyncs the directory. Retriable,
/// with a message saying so, when another process committed that epoch first (this
/// one is fenced: re-read); retriable on I/O errors too. REQUIRES: m.epoch >= 1,
/// m.members not empty. Blocks on disk I/O.
status commit_membership(const std::string& checkpoint_dir, const membership& m);

std::string membership_json(const membership& m);
bool parse_membership(std::string_view json, membership& out, std::string& error);

}  // namespace rtfeat
