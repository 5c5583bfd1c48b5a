// Whether something accepts TCP connections at host:port, within a timeout:
// `rtfeat cluster status` asks it of each member's cluster port.
#pragma once

#include <cstdint>
#include <string>

namespace rtfeat {

/// True when a connection to host:port is accepted within `timeout_ms` (it is closed at once).
bool tcp_port_open(const std::string& host, int64_t port, int timeout_ms);

}  // namespace rtfeat
