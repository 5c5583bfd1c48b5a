// Error replies of a cluster node, as hiredis hands their text over: redirects
// with their targets, the retriable states, and everything else.
#include <doctest/doctest.h>

#include "runtime/redis/cluster/redirect.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.redis.cluster.redirect") {
  TEST_CASE("MOVED gives the slot and the node that serves it now") {
    auto e = classify_error("MOVED 3999 127.0.0.1:6381", "10.0.0.1");
    CHECK(e.kind == cluster_reply_kind::moved);
    CHECK(e.slot == 3999);
    CHECK(e.target == node_address{.host = "127.0.0.1", .port = 6381});
    CHECK(e.is_redirect());
    CHECK_FALSE(e.is_retriable());
  }
  TEST_CASE("ASK gives the importing node") {
    auto e = classify_error("ASK 3999 127.0.0.1:6381", "10.0.0.1");
    CHECK(e.kind == cluster_reply_kind::ask);
    CHECK(e.slot == 3999);
    CHECK(e.target == node_address{.host = "127.0.0.1", .port = 6381});
    CHECK(e.is_redirect());
  }
  TEST_CASE("an empty endpoint means the host of the node that replied") {
    auto e = classify_error("MOVED 3999 :6381", "redis-a.internal");
    CHECK(e.kind == cluster_reply_kind::moved);
    CHECK(e.target == node_address{.host = "redis-a.internal", .port = 6381});
  }
  TEST_CASE("IPv6 and hostname endpoints keep their host whole") {
    CHECK(classify_error("MOVED 1 ::1:6381", "x").target == node_address{.host = "::1", .port = 6381});
    CHECK(classify_error("ASK 16383 2001:db8::7:7000", "x").target
          == node_address{.host = "2001:db8::7", .port = 7000});
    CHECK(classify_error("MOVED 0 [fe80::1]:7000", "x").target == node_address{.host = "fe80::1", .port = 7000});
    CHECK(classify_error("MOVED 0 redis-2.cache.local:7000", "x").target
          == node_address{.host = "redis-2.cache.local", .port = 7000});
  }
  TEST_CASE("TRYAGAIN, CLUSTERDOWN and LOADING are retriable, not redirects") {
    auto t = classify_error("TRYAGAIN Multiple keys request during rehashing of slot", "x");
    CHECK(t.kind == cluster_reply_kind::try_again);
    auto d = classify_error("CLUSTERDOWN The cluster is down", "x");
    CHECK(d.kind == cluster_reply_kind::cluster_down);
    auto l = classify_error("LOADING Redis is loading the dataset in memory", "x");
    CHECK(l.kind == cluster_reply_kind::loading);
    for (const auto& e : {t, d, l}) {
      CHECK(e.is_retriable());
      CHECK_FALSE(e.is_redirect());
    }
  }
  TEST_CASE("other errors and malformed redirects are neither redirects nor retriable") {
    for (const char* text : {"WRONGTYPE Operation against a key holding the wrong kind of value",
                             "OOM command not allowed when used memory > 'maxmemory'",
                             "CROSSSLOT Keys in request don't hash to the same slot", "ERR unknown command",
                             "MOVED", "MOVED 3999", "MOVED 16384 127.0.0.1:6381", "MOVED -1 127.0.0.1:6381",
                             "MOVED 3999 127.0.0.1", "MOVED 3999 127.0.0.1:0", "MOVED 3999 127.0.0.1:65536",
                             "MOVED 3999 127.0.0.1:63x1", "ASK x 127.0.0.1:6381", "MOVEDX 1 a:1",
                             "TRYAGAINX", "CLUSTERDOWNED", ""}) {
      CAPTURE(text);
      auto e = classify_error(text, "x");
      CHECK(e.kind == cluster_reply_kind::other);
      CHECK_FALSE(e.is_redirect());
      CHECK_FALSE(e.is_retriable());
    }
  }
}
