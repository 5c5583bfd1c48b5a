// Requests to change a cluster's membership (docs/cluster.md "Membership"): a
// member to leave (`rtfeat cluster leave`) or a node to join (`rtfeat node
// --join`). Each is a file in <checkpoint.dir>/membership/requests/ that node 0's
// agent reads after each committed checkpoint; next_membership() decides the
// epoch a request leads to, so that rule is plain C++ and tested on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/cluster_nodes.hpp"
#include "runtime/cluster/membership.hpp"
#include "runtime/status.hpp"

namespace rtfeat {

struct membership_request {
  enum class kind : uint8_t { leave, join };
  kind what = kind::leave;
  cluster_node node;  // leave: the id only; join: id, host and port

  /// "leave n2", "join n4 (127.0.0.1:4604)"
  std::string text() const;
};

/// Files the request (idempotent: asking twice is one request). Bad input for an
/// invalid id or port; retriable on I/O errors. Blocks on disk I/O.
status file_request(const std::string& checkpoint_dir, const membership_request& r);

/// Pending requests, oldest first. Unreadable or malformed files are skipped.
std::vector<membership_request> pending_requests(const std::string& checkpoint_dir);

/// Removes the request once acted on, refused or withdrawn.
void drop_request(const std::string& checkpoint_dir, const membership_request& r);

/// The membership after `r`, committed after checkpoint `checkpoint_id` at `now_ms`:
/// a leave removes the member, a join appends the node (placement order: it
/// becomes the last member). nullopt with `why_not` when the request cannot be
/// honoured: leaving a non-member or the last member, joining as an existing id
/// or on an address a member has.
std::optional<membership> next_membership(const membership& current, const membership_request& r,
                                          uint64_t checkpoint_id, int64_t now_ms,
                                          std::string& why_not);

}  // namespace rtfeat
