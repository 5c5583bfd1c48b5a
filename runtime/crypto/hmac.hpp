// HMAC-SHA256 and random nonces for the cluster handshake, from OpenSSL's
// libcrypto (the only code that touches it; TLS between nodes will use the same
// library through caf_openssl).
#pragma once

#include <string>
#include <string_view>

namespace rtfeat {

/// HMAC-SHA256 of `message` under `key`, as 64 lowercase hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// `bytes` bytes from the system's CSPRNG, as hex.
/// REQUIRES: bytes <= 64. Aborts if the generator fails (a broken invariant).
std::string random_hex(size_t bytes);

/// Compares without an early exit, so the time taken says nothing about where they differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace rtfeat
