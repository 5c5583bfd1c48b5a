// Loopback ports for the drill: below the ephemeral range, free, never twice.
#include <doctest/doctest.h>

#include <set>

#include "runtime/tools/drill/loopback_port.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.drill.loopback_port") {
  TEST_CASE("picked ports are below the ephemeral range, distinct and not listened on") {
    loopback_ports ports;
    std::set<uint16_t> seen;
    for (int i = 0; i < 20; ++i) {
      auto p = ports.pick();
      REQUIRE(p);
      CHECK(*p >= 10000);
      CHECK(*p < ephemeral_port_low());
      CHECK(seen.insert(*p).second);
      CHECK_FALSE(accepts_connections(*p));
    }
  }
}
