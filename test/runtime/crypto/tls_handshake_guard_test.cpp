// The handshake guard against a silent peer: a client handshake over a socket
// pair whose other end never answers, driven the way caf_openssl drives it
// (call again and again while it "wants read").
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "runtime/crypto/tls_handshake_guard.hpp"

using namespace rtfeat;
using namespace std::chrono_literals;

namespace {

/// A client TLS session on one end of a socket pair; the other end stays silent.
struct silent_peer {
  int fds[2] = {-1, -1};
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = nullptr;
  silent_peer() {
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fds[0]);
    SSL_set_connect_state(ssl);
  }
  silent_peer(const silent_peer&) = delete;
  silent_peer& operator=(const silent_peer&) = delete;
  ~silent_peer() {
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fds[0]), close(fds[1]);
  }
  int step(std::chrono::milliseconds timeout) {
    ERR_clear_error();
    return guard_tls_handshake(ssl, SSL_connect(ssl), timeout);
  }
};

}  // namespace

TEST_SUITE("runtime.crypto.tls_handshake_guard") {
  TEST_CASE("a handshake waiting for its peer goes on wanting to read until the deadline") {
    silent_peer p;
    int ret = p.step(10s);
    CHECK(ret == -1);
    CHECK(SSL_get_error(p.ssl, ret) == SSL_ERROR_WANT_READ);
  }
  TEST_CASE("past the deadline the handshake fails with a timeout CAF sees as an SSL error") {
    silent_peer p;
    p.step(50ms);
    auto until = std::chrono::steady_clock::now() + 2s;
    int ret = 0;
    while (std::chrono::steady_clock::now() < until) {
      ret = p.step(50ms);
      if (SSL_get_error(p.ssl, ret) != SSL_ERROR_WANT_READ) break;
    }
    CHECK(ret == -1);
    CHECK(SSL_get_error(p.ssl, ret) == SSL_ERROR_SSL);
    CHECK(ERR_GET_REASON(ERR_peek_error()) == SSL_R_READ_TIMEOUT_EXPIRED);
  }
  TEST_CASE("calls past the first few wait for the socket instead of spinning") {
    silent_peer p;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i) p.step(10s);
    // At least 90 of the 100 calls waited 1 ms for bytes that never came.
    CHECK(std::chrono::steady_clock::now() - start >= 85ms);
  }
}
