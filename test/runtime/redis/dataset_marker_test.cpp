// Tests of dataset_marker's verdicts: what Redis may answer to a sink's
// `SET marker token:n GET` when nothing was lost, and what means a loss.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "runtime/redis/dataset_marker.hpp"

using rtfeat::dataset_marker;

TEST_SUITE("redis.dataset_marker") {
  TEST_CASE("the key names the writer under the engine's own prefix; values count pipelines") {
    dataset_marker m("0.1", "abc");
    CHECK(m.key() == "__rtfeat__:marker:{0.1}");
    CHECK(m.next() == "abc:1");
    CHECK(m.next() == "abc:2");
  }

  TEST_CASE("the first pipeline of a process accepts whatever Redis held") {
    for (std::optional<std::string> before : {std::optional<std::string>{}, std::optional<std::string>{"old:99"}}) {
      dataset_marker m("0.0", "t");
      m.next();
      CHECK(m.confirm(before));
    }
  }

  TEST_CASE("the last confirmed number is intact; none, an older one or another token is a loss") {
    dataset_marker m("0.0", "t");
    m.next();
    REQUIRE(m.confirm(std::nullopt));
    m.next();
    CHECK(m.confirm(std::string("t:1")));
    m.next();
    CHECK_FALSE(m.confirm(std::nullopt));  // restarted empty / FLUSHALL
    m.next();
    CHECK(m.confirm(std::string("t:3")));
    m.next();
    CHECK_FALSE(m.confirm(std::string("t:2")));  // an older snapshot
    m.next();
    CHECK_FALSE(m.confirm(std::string("u:5")));  // another process's marker
    m.next();
    CHECK_FALSE(m.confirm(std::string("t:6x")));
  }

  TEST_CASE("a pipeline whose reply was lost may or may not have been applied: both are intact") {
    dataset_marker a("0.0", "t");
    a.next();
    REQUIRE(a.confirm(std::nullopt));  // 1 confirmed
    a.next();
    a.unconfirmed();  // 2 sent, connection broke
    a.next();
    CHECK(a.confirm(std::string("t:2")));  // 2 was applied

    dataset_marker b("0.0", "t");
    b.next();
    REQUIRE(b.confirm(std::nullopt));
    b.next();
    b.unconfirmed();
    b.next();
    CHECK(b.confirm(std::string("t:1")));  // 2 never arrived
    b.next();
    CHECK_FALSE(b.confirm(std::string("t:2")));  // in doubt no more: 3 was confirmed
  }
}
