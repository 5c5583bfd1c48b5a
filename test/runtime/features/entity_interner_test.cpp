// A restore's shortcut through the interner (start_section): whatever order
// the sections list their keys in, every key gets the id a plain lookup gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "runtime/features/entity_interner.hpp"

namespace rtfeat {

namespace {

std::vector<std::string> users(int from, int to, int step = 1) {
  std::vector<std::string> out;
  for (int u = from; u < to; u += step) out.push_back("u" + std::to_string(u));
  return out;
}

/// Interns `keys` as one section; each key must keep the id it got first.
void section(entity_interner& ids, const std::vector<std::string>& keys, std::map<std::string, entity_id>& first) {
  ids.start_section();
  for (const auto& k : keys) {
    auto id = ids.intern(k);
    REQUIRE(ids.key(id) == k);
    REQUIRE(first.try_emplace(k, id).first->second == id);
  }
}

}  // namespace

TEST_SUITE("runtime.entity_interner") {
  TEST_CASE("sections in the same order, a subset, another order or new keys all get each key's own id") {
    entity_interner ids;
    std::map<std::string, entity_id> first;
    section(ids, users(0, 100), first);
    section(ids, users(0, 100), first);      // the same order: the shortcut
    section(ids, users(0, 100, 10), first);  // every tenth: skips within the lookahead
    section(ids, users(0, 100, 37), first);  // beyond it: looked up
    auto reversed = users(0, 100);
    std::reverse(reversed.begin(), reversed.end());
    section(ids, reversed, first);
    section(ids, users(50, 150), first);  // half new
    ids.end_sections();
    CHECK(ids.size() == 150);
    CHECK(first.size() == 150);
    for (const auto& [k, id] : first) CHECK(ids.intern(k) == id);  // as a plain lookup gives it
  }

  TEST_CASE("a freed id in the reference section is not taken for its old key") {
    entity_interner ids;
    ids.start_section();
    auto a = ids.intern("a");
    auto b = ids.intern("b");
    ids.acquire(b);
    ids.release_if_unused(a);  // "a" is gone: its id is free, its key empty
    ids.start_section();
    auto a2 = ids.intern("a");
    CHECK(ids.key(a2) == "a");
    CHECK(ids.intern("b") == b);
    ids.start_section();
    CHECK(ids.intern("") != b);
    ids.end_sections();
    CHECK(ids.size() == 3);
  }
}

}  // namespace rtfeat
