// libssl behind tls_handshake_guard.hpp.
#include "runtime/crypto/tls_handshake_guard.hpp"

#include <poll.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace rtfeat {

namespace {

using steady = std::chrono::steady_clock;

struct pending_handshake {
  steady::time_point since = steady::now();
  unsigned retries = 0;
};

/// A normal handshake needs a handful of calls; beyond that CAF is spinning.
constexpr unsigned calls_before_brake = 8;

void free_pending(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<pending_handshake*>(ptr);
}

int pending_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_pending);
  return index;
}

pending_handshake& pending_of(SSL* ssl) {
  auto* p = static_cast<pending_handshake*>(SSL_get_ex_data(ssl, pending_index()));
  if (p == nullptr) SSL_set_ex_data(ssl, pending_index(), p = new pending_handshake);
  return *p;
}

}  // namespace

int guard_tls_handshake(SSL* ssl, int ret, std::chrono::milliseconds timeout) {
  if (ret == 1) return ret;
  auto err = SSL_get_error(ssl, ret);
  if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return ret;
  auto& p = pending_of(ssl);
  if (steady::now() - p.since > timeout) {
    ERR_raise(ERR_LIB_SSL, SSL_R_READ_TIMEOUT_EXPIRED);
    return -1;
  }
  if (++p.retries > calls_before_brake && err == SSL_ERROR_WANT_READ) {
    pollfd fd{SSL_get_fd(ssl), POLLIN, 0};
    poll(&fd, 1, 1);
  }
  return ret;
}

}  // namespace rtfeat
