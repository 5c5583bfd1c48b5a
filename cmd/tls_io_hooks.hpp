// rtfeat's own definitions of the four SSL I/O calls caf_openssl 0.17.6 makes
// (tls_io_hooks.cpp): they fix its error handling and log refused handshakes.
#pragma once

namespace rtfeat::cmd {

/// True when caf_openssl's SSL I/O calls resolve to rtfeat's (the symbols are
/// exported from the binary); else one failed handshake could cut a healthy link.
bool are_tls_io_hooks_active();

}  // namespace rtfeat::cmd
