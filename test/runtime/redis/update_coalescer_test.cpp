// Coalescing of key updates between Redis flushes.
#include <doctest/doctest.h>

#include "runtime/redis/update_coalescer.hpp"

using namespace rtfeat;

namespace {

key_update hash(std::string key, std::vector<std::pair<std::string, std::string>> set,
                std::vector<std::string> del, int64_t ttl) {
  key_update u;
  u.key = std::move(key), u.set = std::move(set), u.del = std::move(del), u.ttl_s = ttl;
  return u;
}

key_update values(std::string key, redis_type type, std::vector<std::string> v, bool replace) {
  key_update u;
  u.key = std::move(key), u.type = type, u.values = std::move(v), u.replace = replace;
  return u;
}

}  // namespace

TEST_SUITE("runtime.update_coalescer") {
  TEST_CASE("the latest value of a field wins and a delete cancels a set") {
    update_coalescer c;
    c.add(hash("k", {{"a", "1"}, {"b", "1"}}, {}, 10));
    c.add(hash("k", {{"a", "2"}}, {"b"}, 20));
    c.add(hash("j", {{"x", "1"}}, {}, 0));
    auto out = c.take();
    REQUIRE(out.size() == 2);
    CHECK(out[0].key == "k");
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"a", "2"}});
    CHECK(out[0].del == std::vector<std::string>{"b"});
    CHECK(out[0].ttl_s == 20);
    CHECK(c.empty());
  }
  TEST_CASE("a set after a delete revives the field") {
    update_coalescer c;
    c.add(hash("k", {}, {"a"}, 0));
    c.add(hash("k", {{"a", "3"}}, {}, 0));
    auto out = c.take();
    REQUIRE(out.size() == 1);
    CHECK(out[0].del.empty());
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"a", "3"}});
  }
  TEST_CASE("a list keeps only its newest whole value") {
    update_coalescer c;
    c.add(values("l", redis_type::list, {"1", "2"}, false));
    c.add(values("l", redis_type::list, {"3"}, false));
    auto out = c.take();
    REQUIRE(out.size() == 1);
    CHECK(out[0].values == std::vector<std::string>{"3"});
  }
  TEST_CASE("hyperloglog additions accumulate until a rewrite replaces them") {
    update_coalescer c;
    c.add(values("h", redis_type::hyperloglog, {"a"}, false));
    c.add(values("h", redis_type::hyperloglog, {"b"}, false));
    auto out = c.take();
    CHECK(out[0].values == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(out[0].replace);
    c.add(values("h", redis_type::hyperloglog, {"a"}, false));
    c.add(values("h", redis_type::hyperloglog, {"c"}, true));
    c.add(values("h", redis_type::hyperloglog, {"d"}, false));
    out = c.take();
    CHECK(out[0].values == std::vector<std::string>{"c", "d"});
    CHECK(out[0].replace);
  }
  TEST_CASE("many keys, short and long, keep one entry each in first-seen order across takes") {
    update_coalescer c;
    for (int round = 0; round < 2; ++round) {  // the second round reuses the emptied index
      for (int pass = 0; pass < 2; ++pass)  // each key twice: the index must find it after rehashes
        for (int i = 0; i < 5000; ++i) {
          auto key = (i % 2 == 0 ? "k" : "user:feature:{a-long-entity-id-") + std::to_string(i);
          c.add(hash(key, {{"f", std::to_string(pass)}}, {}, 10));
        }
      CHECK(c.keys() == 5000);
      auto out = c.take();
      REQUIRE(out.size() == 5000);
      for (int i = 0; i < 5000; ++i) {
        auto key = (i % 2 == 0 ? "k" : "user:feature:{a-long-entity-id-") + std::to_string(i);
        CHECK(out[static_cast<size_t>(i)].key == key);
        CHECK(out[static_cast<size_t>(i)].set
              == std::vector<std::pair<std::string, std::string>>{{"f", "1"}});
      }
      CHECK(c.empty());
    }
  }
}
