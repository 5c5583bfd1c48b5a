// Byte-level helpers for dead letters: UTF-8 validity, base64 and SHA-256.
// SHA-256 comes from OpenSSL's libcrypto, already linked for runtime/crypto;
// it is what `sha256sum` prints, so an operator can find the original event.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rtfeat {

/// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// The longest prefix of `bytes` of at most `max` bytes that does not end inside
/// a UTF-8 multi-byte sequence (for valid UTF-8; other bytes are cut at `max`).
std::string_view utf8_prefix(std::string_view bytes, size_t max);

/// Standard base64 with padding (RFC 4648 §4).
std::string base64(std::string_view bytes);

/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace rtfeat
