// libcrypto behind hmac.hpp.
#include "runtime/crypto/hmac.hpp"

#include <cassert>
#include <cstdio>
#include <cstdlib>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace rtfeat {

namespace {

std::string to_hex(const unsigned char* data, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  auto* ok = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                  reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  if (ok == nullptr) {
    std::fputs("rtfeat: fatal: HMAC-SHA256 failed in libcrypto\n", stderr);
    std::abort();
  }
  return to_hex(mac, len);
}

std::string random_hex(size_t bytes) {
  assert(bytes <= 64);
  unsigned char buf[64];
  if (RAND_bytes(buf, static_cast<int>(bytes)) != 1) {
    std::fputs("rtfeat: fatal: no random bytes from libcrypto\n", stderr);
    std::abort();
  }
  return to_hex(buf, bytes);
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace rtfeat
