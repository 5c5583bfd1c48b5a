// redis_eviction_warnings when it cannot ask: a Redis, or a Redis Cluster, that
// nobody answers at has an unknown eviction policy, and unknown is said at start,
// never taken for "does not evict". (A master that would evict: redis_cluster_e2e_test.)
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "config/job_config.hpp"
#include "runtime/redis/redis_target.hpp"

using namespace rtfeat;

namespace {

/// A loopback port nothing listens on: bound by the kernel's choice, then closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

TEST_SUITE("runtime.redis.eviction_warnings") {
  TEST_CASE("a Redis that cannot be reached is warned about: its policy is unknown") {
    job_config cfg;
    cfg.redis_port = closed_port();
    auto warnings = redis_eviction_warnings(cfg);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].rfind("redis 127.0.0.1:" + std::to_string(cfg.redis_port) + ": cannot read its maxmemory-policy (", 0) == 0);
    CHECK(warnings[0].find("check that it does not evict") != std::string::npos);
  }

  TEST_CASE("a Redis Cluster none of whose seeds answers is warned about once") {
    job_config cfg;
    cfg.redis_cluster = true;
    cfg.redis_nodes = {"127.0.0.1:" + std::to_string(closed_port())};
    auto warnings = redis_eviction_warnings(cfg);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].rfind("every master of the Redis Cluster: cannot read its maxmemory-policy (redis cluster (seeds "
                            + cfg.redis_nodes[0] + "): no node gave a slot map",
                            0)
          == 0);
  }
}
