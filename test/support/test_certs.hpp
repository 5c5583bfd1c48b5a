// Throwaway PKI for the TLS tests: P-256 keys, a CA and certificates it signs,
// written as PEM files; made with libcrypto in the test itself, so that no
// certificate is committed and none can expire in the repository.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace rtfeat::test {

struct test_key {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  test_key() {
    if (pkey == nullptr) throw std::runtime_error("EVP_EC_gen failed");
  }
  test_key(const test_key&) = delete;
  test_key& operator=(const test_key&) = delete;
  ~test_key() { EVP_PKEY_free(pkey); }
};

struct cert_options {
  bool is_ca = false;
  const char* extended_key_usage = "serverAuth,clientAuth";  // nullptr = none
  long valid_from_s = -60;  // relative to now
  long valid_to_s = 86400;
};

class test_cert {
public:
  /// Signed by `issuer` with `issuer_key`; self-signed when issuer is null.
  test_cert(const std::string& cn, const test_key& key, const test_cert* issuer, const test_key& issuer_key,
            cert_options o = {})
    : x_(X509_new()) {
    X509_set_version(x_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x_), serial_++);
    X509_gmtime_adj(X509_getm_notBefore(x_), o.valid_from_s);
    X509_gmtime_adj(X509_getm_notAfter(x_), o.valid_to_s);
    X509_set_pubkey(x_, key.pkey);
    auto* name = X509_get_subject_name(x_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1,
                               -1, 0);
    X509_set_issuer_name(x_, issuer ? X509_get_subject_name(issuer->x_) : name);
    add_ext(issuer, NID_basic_constraints, o.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(issuer, NID_key_usage, o.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    if (!o.is_ca) add_ext(issuer, NID_subject_alt_name, "IP:127.0.0.1");
    if (o.extended_key_usage) add_ext(issuer, NID_ext_key_usage, o.extended_key_usage);
    if (X509_sign(x_, issuer_key.pkey, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");
  }
  test_cert(const test_cert&) = delete;
  test_cert& operator=(const test_cert&) = delete;
  ~test_cert() { X509_free(x_); }

  void write(const std::string& path) const {
    auto* f = std::fopen(path.c_str(), "w");
    if (f == nullptr || PEM_write_X509(f, x_) != 1) throw std::runtime_error("cannot write " + path);
    std::fclose(f);
  }

private:
  void add_ext(const test_cert* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer->x_ : x_, x_, nullptr, nullptr, 0);
    auto* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error("bad extension value");
    X509_add_ext(x_, ext, -1);
    X509_EXTENSION_free(ext);
  }

  X509* x_;
  static inline long serial_ = 1;
};

/// Writes `key` as PEM, encrypted with AES-256 under `passphrase` unless it is empty.
inline void write_key(const test_key& key, const std::string& path, const std::string& passphrase = "") {
  auto* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("cannot write " + path);
  auto* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
  auto* pass = reinterpret_cast<const unsigned char*>(passphrase.data());
  int ok = PEM_write_PrivateKey(f, key.pkey, cipher, pass, static_cast<int>(passphrase.size()), nullptr, nullptr);
  std::fclose(f);
  if (ok != 1) throw std::runtime_error("cannot write " + path);
}

}  // namespace rtfeat::test
