// Coalescing of key updates between Redis flushes.
#include <doctest/doctest.h>

#include "runtime/features/update_coalescer.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.update_coalescer") {
  TEST_CASE("the latest value of a field wins and a delete cancels a set") {
    update_coalescer c;
    c.add({"k", {{"a", "1"}, {"b", "1"}}, {}, 10});
    c.add({"k", {{"a", "2"}}, {"b"}, 20});
    c.add({"j", {{"x", "1"}}, {}, 0});
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
    c.add({"k", {}, {"a"}, 0});
    c.add({"k", {{"a", "3"}}, {}, 0});
    auto out = c.take();
    REQUIRE(out.size() == 1);
    CHECK(out[0].del.empty());
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"a", "3"}});
  }
}
