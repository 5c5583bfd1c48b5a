// A deadline and a brake for TLS handshakes that caf_openssl 0.17.6 drives
// without either (CAF issue 1060, fixed upstream after 0.17.6): while a
// handshake waits for the peer and CAF has bytes queued for it, CAF's I/O
// thread polls for "writable", is told "want read", and polls again, at 100 %
// of a core, for as long as the peer stays silent; and a node that gave up on
// such a peer never exits (CAF's shutdown waits for that connection to drain).
// A silent peer is a hung node, or anyone who opens the port and says nothing.
#pragma once

#include <chrono>

struct ssl_st;  // OpenSSL's SSL; only runtime/crypto includes OpenSSL

namespace rtfeat {

/// How long a peer may take to complete its TLS handshake.
inline constexpr std::chrono::milliseconds tls_handshake_timeout{5000};

/// Call right after SSL_accept / SSL_connect returned `ret` on `ssl`. While the
/// handshake waits for the peer, waits up to 1 ms for the socket to become
/// readable once the handshake has been retried more than a few times (the brake;
/// returns at once when bytes arrive); once it has waited longer than `timeout`,
/// fails it: returns -1 with SSL_R_READ_TIMEOUT_EXPIRED queued, so that
/// SSL_get_error() says SSL_ERROR_SSL and CAF closes the connection. Otherwise
/// returns `ret`. The state lives in the SSL object and goes with it.
/// Runs in: whatever thread calls SSL_accept / SSL_connect (CAF's I/O thread).
int guard_tls_handshake(ssl_st* ssl, int ret, std::chrono::milliseconds timeout = tls_handshake_timeout);

}  // namespace rtfeat
