// libssl behind tls_files.hpp. The loading mirrors caf_openssl 0.17.6's
// session::create_ssl_context, so that what passes here also loads there.
#include "runtime/crypto/tls_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace rtfeat {

namespace {

/// OpenSSL's queued errors as one line (and the queue emptied).
std::string openssl_errors() {
  std::string out;
  while (auto e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "no reason given" : out;
}

struct passphrase_request {
  const std::string* passphrase;
  bool asked = false;
};

/// Without a callback OpenSSL would prompt on the terminal for an encrypted
/// key; this one answers with the passphrase, or fails when there is none.
int passphrase_cb(char* buf, int size, int, void* user) {
  auto* req = static_cast<passphrase_request*>(user);
  req->asked = true;
  const auto& p = *req->passphrase;
  if (p.empty() || p.size() >= static_cast<size_t>(size)) return 0;
  std::memcpy(buf, p.data(), p.size());  // NOLINT(bugprone-not-null-terminated-result): OpenSSL takes the returned length
  return static_cast<int>(p.size());
}

/// "" when `path` can be opened for reading, else why not.
std::string unreadable(const char* key, const std::string& path) {
  std::ifstream in(path);
  if (in) return "";
  return std::string(key) + ": cannot read '" + path + "': " + std::strerror(errno);
}

bool load_key(ssl_ctx_st* ctx, const tls_files& f, const std::string& passphrase, std::string& error) {
  passphrase_request req{&passphrase};
  SSL_CTX_set_default_passwd_cb(ctx, passphrase_cb);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, &req);
  bool ok = SSL_CTX_use_PrivateKey_file(ctx, f.key.c_str(), SSL_FILETYPE_PEM) == 1;
  SSL_CTX_set_default_passwd_cb(ctx, nullptr);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, nullptr);
  if (ok) return true;
  auto reason = ERR_GET_REASON(ERR_peek_last_error());
  auto why = openssl_errors();
  if (reason == X509_R_KEY_VALUES_MISMATCH)
    error = "cluster.tls.key: '" + f.key + "' is not the key of cluster.tls.certificate '" + f.certificate + "'";
  else if (req.asked && passphrase.empty())
    error = "cluster.tls.key: '" + f.key + "' is encrypted: set " + std::string(tls_passphrase_env);
  else if (req.asked)
    error = "cluster.tls.key: cannot decrypt '" + f.key + "' with " + tls_passphrase_env + " (" + why + ")";
  else
    error = "cluster.tls.key: '" + f.key + "' is not a PEM private key (" + why + ")";
  return false;
}

/// Verifies this node's own certificate chain for one purpose, at the context's security level.
std::string verify_own(ssl_ctx_st* ctx, int purpose) {
  X509_STORE_CTX* v = X509_STORE_CTX_new();
  STACK_OF(X509)* chain = nullptr;
  SSL_CTX_get0_chain_certs(ctx, &chain);
  std::string why;
  if (v == nullptr || X509_STORE_CTX_init(v, SSL_CTX_get_cert_store(ctx), SSL_CTX_get0_certificate(ctx), chain) != 1)
    why = openssl_errors();
  else {
    X509_STORE_CTX_set_purpose(v, purpose);
    X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(v), SSL_CTX_get_security_level(ctx));
    if (X509_verify_cert(v) != 1) why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(v));
  }
  X509_STORE_CTX_free(v);
  return why;
}

}  // namespace

void tls_context_free::operator()(ssl_ctx_st* ctx) const { SSL_CTX_free(ctx); }

tls_context_ptr load_tls_context(const tls_files& f, const std::string& passphrase, std::string& error) {
  ERR_clear_error();
  for (auto [key, path] : {std::pair{"cluster.tls.certificate", &f.certificate},
                           std::pair{"cluster.tls.key", &f.key}, std::pair{"cluster.tls.ca_file", &f.ca_file}})
    if (error = unreadable(key, *path); !error.empty()) return nullptr;
  tls_context_ptr ctx{SSL_CTX_new(TLS_method())};
  if (!ctx) return error = "cannot create an OpenSSL context (" + openssl_errors() + ")", nullptr;
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), f.certificate.c_str()) != 1)
    return error = "cluster.tls.certificate: cannot use '" + f.certificate + "' (" + openssl_errors() + ")",
           nullptr;
  if (!load_key(ctx.get(), f, passphrase, error)) return nullptr;
  if (SSL_CTX_load_verify_locations(ctx.get(), f.ca_file.c_str(), nullptr) != 1)
    return error = "cluster.tls.ca_file: no CA certificate in '" + f.ca_file + "' (" + openssl_errors() + ")",
           nullptr;
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return ctx;
}

std::string check_tls_files(const tls_files& f, const std::string& passphrase) {
  std::string error;
  auto ctx = load_tls_context(f, passphrase, error);
  if (!ctx) return error;
  auto cert = "cluster.tls.certificate: '" + f.certificate + "' ";
  if (auto why = verify_own(ctx.get(), X509_PURPOSE_SSL_CLIENT); !why.empty()) {
    if (why != X509_verify_cert_error_string(X509_V_ERR_INVALID_PURPOSE))
      return cert + "does not verify against cluster.tls.ca_file '" + f.ca_file + "': " + why
             + " (every peer would refuse this node)";
    return cert + "is not valid for opening TLS connections: a node both accepts and opens them, so its "
                  "extendedKeyUsage must include clientAuth and serverAuth (or be absent)";
  }
  if (auto why = verify_own(ctx.get(), X509_PURPOSE_SSL_SERVER); !why.empty())
    return cert + "is not valid for accepting TLS connections (" + why
           + "): its extendedKeyUsage must include serverAuth and clientAuth (or be absent)";
  return "";
}

}  // namespace rtfeat
