// What a cluster node's error reply means for routing: a redirect (MOVED, ASK)
// with the slot and the node to go to, a retriable state that calls for a back-off
// (TRYAGAIN, CLUSTERDOWN, LOADING), or an error that resending cannot fix.
#pragma once

#include <cstdint>
#include <string_view>

#include "runtime/redis/cluster/node_address.hpp"

namespace rtfeat {

enum class cluster_reply_kind {
  moved,         ///< the slot is served elsewhere from now on: update the slot map, resend there
  ask,           ///< the key is mid-migration: resend to the importing node once, after
                 ///< ASKING; the slot map stays as it is
  try_again,     ///< retriable: a multi-key command touched a slot being migrated
  cluster_down,  ///< retriable: the cluster cannot serve the slot now (a failover is under way)
  loading,       ///< retriable: the node is still loading its data set
  other,         ///< not a routing error (WRONGTYPE, OOM, a malformed redirect...): fatal
                 ///< for the command, resending it cannot help
};

struct cluster_error {
  cluster_reply_kind kind = cluster_reply_kind::other;
  uint16_t slot = 0;    // moved, ask
  node_address target;  // moved, ask

  bool is_redirect() const { return kind == cluster_reply_kind::moved || kind == cluster_reply_kind::ask; }
  /// Worth sending again after a back-off, to the same node.
  bool is_retriable() const {
    return kind == cluster_reply_kind::try_again || kind == cluster_reply_kind::cluster_down
           || kind == cluster_reply_kind::loading;
  }
};

/// Classifies the text of an error reply as hiredis gives it ("MOVED 3999
/// 127.0.0.1:6381", no leading '-'). A redirect with an empty endpoint
/// ("MOVED 3999 :6381", Redis 7's unknown endpoint) goes to `current_host`, the
/// host of the node that replied. IPv6 endpoints may be bare ("::1:6381") or
/// bracketed ("[::1]:6381").
cluster_error classify_error(std::string_view error, std::string_view current_host);

}  // namespace rtfeat
