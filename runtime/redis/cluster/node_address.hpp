// Where a Redis Cluster node listens, as CLUSTER SLOTS and MOVED/ASK name it.
// The routing code keys connections and pipelines by it.
#pragma once

#include <string>

namespace rtfeat {

struct node_address {
  std::string host;  // IP (v4 or v6, unbracketed) or hostname
  int port = 0;

  bool operator==(const node_address&) const = default;
  /// "host:port", the form MOVED uses (an IPv6 host is not bracketed either).
  std::string to_string() const { return host + ':' + std::to_string(port); }
};

}  // namespace rtfeat
