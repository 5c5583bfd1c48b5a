// Why a TLS link to a peer fails. caf_openssl 0.17.6 reports every TLS failure
// as "disconnect during handshake" and logs nothing (Debian builds CAF without
// logging), so a node that cannot join a peer makes one handshake of its own,
// with its own files, to tell the operator which side refuses what.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "runtime/crypto/tls_files.hpp"

namespace rtfeat {

/// One TLS handshake with host:port as caf_openssl makes it (same files, peer
/// verified against ca_file), then waits for the peer's first bytes. Returns
/// why it fails, e.g. "the peer refused this node's certificate (... unknown
/// ca)", or "" when TLS works or the cause is not TLS (nothing listens).
/// Runs in: the node's main thread; blocks up to about 3 × timeout.
std::string diagnose_tls_peer(const tls_files& files, const std::string& passphrase, const std::string& host,
                              uint16_t port, std::chrono::milliseconds timeout);

}  // namespace rtfeat
