// HMAC-SHA256 against RFC 4231's test vectors, and nonces that do not repeat.
#include <doctest/doctest.h>

#include "runtime/crypto/hmac.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.crypto.hmac") {
  TEST_CASE("HMAC-SHA256 matches RFC 4231 test cases 1 and 2") {
    CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There")
          == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?")
          == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  TEST_CASE("nonces are hex of the asked length and differ") {
    auto a = random_hex(16), b = random_hex(16);
    CHECK(a.size() == 32);
    CHECK(a != b);
  }
  TEST_CASE("constant-time comparison is a plain equality") {
    CHECK(equal_in_constant_time("abc", "abc"));
    CHECK_FALSE(equal_in_constant_time("abc", "abd"));
    CHECK_FALSE(equal_in_constant_time("abc", "ab"));
  }
}
