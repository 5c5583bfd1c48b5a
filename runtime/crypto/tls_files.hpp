// The PEM files of inter-node TLS (cluster.tls.*), checked once at start.
// caf_openssl loads them again for every connection and throws inside CAF's
// I/O thread when that fails, which ends the process mid-run; so a node checks
// here first that they load exactly as caf_openssl loads them, and what
// caf_openssl never checks: that the certificate verifies against the CA.
#pragma once

#include <memory>
#include <string>

struct ssl_ctx_st;  // OpenSSL's SSL_CTX; only runtime/crypto includes OpenSSL

namespace rtfeat {

/// The passphrase of an encrypted cluster.tls.key; never in the config.
inline constexpr const char* tls_passphrase_env = "RTFEAT_TLS_KEY_PASSPHRASE";

struct tls_files {
  std::string certificate;  // this node's certificate, then its chain (PEM)
  std::string key;          // its private key (PEM, encrypted or not)
  std::string ca_file;      // the CA certificate(s) every peer must be signed by (PEM)
};

struct tls_context_free {
  void operator()(ssl_ctx_st* ctx) const;
};
using tls_context_ptr = std::unique_ptr<ssl_ctx_st, tls_context_free>;

/// A client/server context loaded as caf_openssl's session loads one (same
/// calls, same order), with peer verification against ca_file. Null with
/// `error` naming the config key, the file and OpenSSL's reason.
tls_context_ptr load_tls_context(const tls_files& files, const std::string& passphrase, std::string& error);

/// load_tls_context, then: this node's certificate must verify against
/// ca_file (else every peer would refuse it) and be usable both to accept and
/// to open connections (extendedKeyUsage serverAuth and clientAuth, or none).
/// Returns "" or the error. Runs in: the node's main thread, before CAF starts.
std::string check_tls_files(const tls_files& files, const std::string& passphrase);

}  // namespace rtfeat
