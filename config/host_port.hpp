// "host:port" as configs and flags write it (Redis seeds, --redis): the last ':'
// splits, so a bare IPv6 host ("::1:7000") works.
#pragma once

#include <string>
#include <string_view>

namespace rtfeat {

/// False unless the host is non-empty and the port is 1..65535 with nothing after it.
bool parse_host_port(std::string_view text, std::string& host, int& port);

}  // namespace rtfeat
