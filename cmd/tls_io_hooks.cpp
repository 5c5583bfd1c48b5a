// rtfeat defines the four SSL I/O calls caf_openssl 0.17.6 makes. The dynamic
// linker binds caf_openssl to these (the executable comes first in symbol
// lookup; CMake exports them); each forwards to libssl. They do what
// caf_openssl 0.17.6 does not:
// 1. Clear OpenSSL's error queue before the call. SSL_get_error() reads the
//    thread's queue, which must be empty before each SSL I/O call; caf_openssl
//    never clears it (it reads it only in log statements, which Debian compiles
//    out). So one failed handshake (another CA, plain TCP, a port scan) leaves
//    errors in the I/O thread, the next harmless "want read" on a healthy link
//    is taken for a fatal error, and CAF closes that link: the cluster loses a
//    peer and rolls back. CAF fixed the same in its later networking
//    (libcaf_net, 2022) by clearing the queue before each call.
// 2. Give handshakes a deadline and stop CAF spinning while one waits
//    (runtime/crypto/tls_handshake_guard.hpp).
// 3. Log a refused incoming handshake: CAF drops the connection silently.
#include "cmd/tls_io_hooks.hpp"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "runtime/crypto/tls_handshake_guard.hpp"

namespace {

/// libssl's own definition of `name`: the next one after this executable.
template <class Fn>
Fn* next_definition(const char* name) {
  auto* f = reinterpret_cast<Fn*>(dlsym(RTLD_NEXT, name));
  if (f == nullptr) {
    std::fprintf(stderr, "rtfeat: fatal: %s not found in libssl\n", name);
    std::abort();
  }
  return f;
}

std::string peer_of(SSL* ssl) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(SSL_get_fd(ssl), reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "a peer that closed first";
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host), port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host), port = ntohs(a->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

/// One line per refused handshake and reason, at most one a second per reason
/// (a peer retries every 100 ms); the lines left out are counted in the next.
/// Runs in: CAF's I/O thread.
void log_refusal(SSL* ssl) {
  using namespace std::chrono;
  static std::mutex mutex;
  static std::map<int, std::pair<int64_t, int>> by_reason;  // reason -> last line (ms), left out since
  auto code = ERR_GET_REASON(ERR_peek_error());
  auto now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
  int left_out = 0;
  {
    std::lock_guard<std::mutex> lock{mutex};
    auto& [last_ms, skipped] = by_reason[code];
    if (last_ms != 0 && now - last_ms < 1000) return static_cast<void>(++skipped);
    last_ms = now, left_out = std::exchange(skipped, 0);
  }
  char reason[256];
  ERR_error_string_n(ERR_peek_error(), reason, sizeof reason);  // peek: CAF reads the queue after us
  std::string why = reason;
  if (auto v = SSL_get_verify_result(ssl); v != X509_V_OK)
    why = "its certificate does not verify against cluster.tls.ca_file ("
          + std::string(X509_verify_cert_error_string(v)) + "; " + why + ")";
  else if (code == SSL_R_WRONG_VERSION_NUMBER || code == SSL_R_HTTP_REQUEST || code == SSL_R_PACKET_LENGTH_TOO_LONG)
    why = "it does not speak TLS (" + why + "): is cluster.tls set on it?";
  else if (code == SSL_R_UNEXPECTED_EOF_WHILE_READING)
    why = "it closed the connection during the handshake";
  else if (code == SSL_R_READ_TIMEOUT_EXPIRED)
    why = "no TLS handshake within " + std::to_string(rtfeat::tls_handshake_timeout.count()) + " ms";
  else if (code >= SSL_AD_REASON_OFFSET)  // an alert the peer sent: it refused us
    why = "it refused this node (" + why + "): does its cluster.tls.ca_file hold this node's CA?";
  auto more = left_out ? " (" + std::to_string(left_out) + " more like it since the last such line)" : std::string();
  std::fprintf(stderr, "cluster: refused a TLS connection from %s: %s%s\n", peer_of(ssl).c_str(), why.c_str(),
               more.c_str());
}

}  // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static auto* real = next_definition<int(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static auto* real = next_definition<int(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  static auto* real = next_definition<int(SSL*)>("SSL_accept");
  ERR_clear_error();
  int ret = rtfeat::guard_tls_handshake(ssl, real(ssl));
  if (ret <= 0 && SSL_get_error(ssl, ret) == SSL_ERROR_SSL) log_refusal(ssl);
  return ret;
}

int SSL_connect(SSL* ssl) {
  static auto* real = next_definition<int(SSL*)>("SSL_connect");
  ERR_clear_error();
  return rtfeat::guard_tls_handshake(ssl, real(ssl));
}

}  // extern "C"

namespace rtfeat::cmd {

bool are_tls_io_hooks_active() {
  // caf_openssl's references go through the global lookup, which finds ours first.
  return dlsym(RTLD_DEFAULT, "SSL_read") == reinterpret_cast<void*>(&SSL_read);
}

}  // namespace rtfeat::cmd
