// Ports on 127.0.0.1 for the drill's services and nodes. Node ports come from
// below the kernel's ephemeral range (docs/cluster.md): a port in that range can
// be taken by any outgoing connection while a killed node is down, and the node
// could not listen there again after its restart.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>

namespace rtfeat {

class loopback_ports {
public:
  loopback_ports() : rng_(std::random_device{}()) {}

  /// A port nothing can bind on 127.0.0.1 now (checked with bind), below the
  /// ephemeral range and never handed out before by this object; nullopt when
  /// 500 random tries found none.
  std::optional<uint16_t> pick();

private:
  std::mt19937 rng_;
  std::set<uint16_t> given_;
};

/// The first port of the kernel's ephemeral range (32768 when it cannot be read).
uint16_t ephemeral_port_low();

/// True when something accepts TCP connections on 127.0.0.1:`port` now.
bool accepts_connections(uint16_t port);

}  // namespace rtfeat
