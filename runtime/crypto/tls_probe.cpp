// libssl and a blocking socket behind tls_probe.hpp.
#include "runtime/crypto/tls_probe.hpp"

#include <cerrno>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace rtfeat {

namespace {

/// A blocking TCP connection with send/receive (and so connect) timeouts; -1 if none.
int connect_tcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (auto* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) continue;
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) close(fd), fd = -1;
  }
  freeaddrinfo(found);
  return fd;
}

/// OpenSSL writes with write(2): a peer that closes first must not SIGPIPE the
/// node, so SIGPIPE is blocked in this thread meanwhile (as caf_openssl does).
class sigpipe_blocked {
public:
  sigpipe_blocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &saved_);
  }
  sigpipe_blocked(const sigpipe_blocked&) = delete;
  sigpipe_blocked& operator=(const sigpipe_blocked&) = delete;
  ~sigpipe_blocked() {
    timespec zero{};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
  }

private:
  sigset_t pipe_, saved_;
};

std::string first_error() {
  char buf[256];
  ERR_error_string_n(ERR_peek_error(), buf, sizeof buf);
  return buf;
}

/// The verdict on a failed SSL_connect / SSL_read; `saved_errno` is errno right after it.
std::string verdict(SSL* ssl, int ret, int saved_errno, std::chrono::milliseconds timeout) {
  auto err = SSL_get_error(ssl, ret);
  // The socket's timeout reads as "want read" (or as a failed system call).
  bool timed_out = err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE
                   || (err == SSL_ERROR_SYSCALL && (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK));
  if (timed_out)
    return "the peer accepted the connection but did not answer within " + std::to_string(timeout.count())
           + " ms: is it hung?";
  if (err != SSL_ERROR_SSL) return "";  // closed: not a TLS verdict
  auto verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK)
    return std::string("this node refuses the peer's certificate: it does not verify against cluster.tls.ca_file (")
           + X509_verify_cert_error_string(verify) + ")";
  auto reason = ERR_GET_REASON(ERR_peek_error());
  if (reason >= SSL_AD_REASON_OFFSET)  // an alert the peer sent
    return "the peer refused the TLS handshake (" + first_error()
           + "): is this node's certificate signed by the CA in the peer's cluster.tls.ca_file?";
  if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG
      || reason == SSL_R_UNEXPECTED_RECORD)
    return "the peer does not answer in TLS (" + first_error() + "): is cluster.tls set on it too?";
  return "the TLS handshake failed (" + first_error() + ")";
}

}  // namespace

std::string diagnose_tls_peer(const tls_files& files, const std::string& passphrase, const std::string& host,
                              uint16_t port, std::chrono::milliseconds timeout) {
  std::string error;
  auto ctx = load_tls_context(files, passphrase, error);
  if (!ctx) return error;
  sigpipe_blocked guard;
  int fd = connect_tcp(host, port, timeout);
  if (fd < 0) return "";
  ERR_clear_error();
  SSL* ssl = SSL_new(ctx.get());
  SSL_set_fd(ssl, fd);
  int ret = SSL_connect(ssl);
  if (ret == 1) {
    // With TLS 1.3 the server checks our certificate after our handshake is
    // done: its verdict is either its first bytes or an alert.
    char byte = 0;
    ret = SSL_read(ssl, &byte, 1);
    error = ret > 0 ? "" : verdict(ssl, ret, errno, timeout);
  } else {
    error = verdict(ssl, ret, errno, timeout);
  }
  ERR_clear_error();
  SSL_free(ssl);
  close(fd);
  return error;
}

}  // namespace rtfeat
