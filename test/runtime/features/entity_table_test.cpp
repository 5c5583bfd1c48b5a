// The shared per-entity bookkeeping: interned ids live while a table holds
// them, flush visits each marked entity once, erased rows give their id back.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "runtime/features/entity_table.hpp"

namespace rtfeat {

TEST_SUITE("runtime.entity_table") {
  TEST_CASE("an id no table holds is freed and reused; a held one stays") {
    entity_interner ids;
    auto a = ids.intern("alice");
    CHECK(ids.intern("alice") == a);
    ids.release_if_unused(a);  // no feature kept the event
    CHECK(ids.size() == 0);
    auto b = ids.intern("bob");
    CHECK(b == a);  // the freed id is reused
    CHECK(ids.key(b) == "bob");
    entity_table<int> t(ids);
    t.try_emplace(b);
    ids.release_if_unused(b);
    CHECK(ids.size() == 1);  // held by the table
    t.erase(b);
    CHECK(ids.size() == 0);
  }

  TEST_CASE("flush visits each marked entity once and erases those it is told to") {
    entity_interner ids;
    entity_table<int> t(ids);
    for (auto key : {"a", "b", "c"}) {
      auto [r, fresh] = t.try_emplace(ids.intern(key));
      CHECK(fresh);
      r->state = 1;
      t.mark(*r);
      t.mark(*r);  // twice: still one visit
    }
    std::map<std::string, int> seen;
    t.flush([&](entity_table<int>::row& r) {
      ++seen[t.key(r)];
      return t.key(r) != "b";  // b is erased afterwards
    });
    CHECK(seen == std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c", 1}});
    CHECK(t.size() == 2);
    CHECK(ids.size() == 2);
    CHECK(t.find(ids.intern("a")) != nullptr);
    CHECK(t.find(ids.intern("c")) != nullptr);
    seen.clear();
    t.flush([&](entity_table<int>::row& r) { return ++seen[t.key(r)], true; });
    CHECK(seen.empty());  // nothing marked since
    t.rewrite_all([](int& x) { x = 7; });
    t.flush([&](entity_table<int>::row& r) { return ++seen[t.key(r)], r.state == 7; });
    CHECK(seen.size() == 2);
  }

  TEST_CASE("save encodes an unchanged entity once and copies its bytes after") {
    entity_interner ids;
    entity_table<int> t(ids);
    auto& r = *t.try_emplace(ids.intern("k")).first;
    r.state = 5;
    int encoded = 0;
    std::map<std::string, state_writer> out;
    auto writer_for = [&](const std::string& key) -> state_writer& { return out[key]; };
    auto encode = [&](state_writer& w, const std::string& key, const int& x) {
      ++encoded;
      w.str(key).i64(x);
    };
    t.save(writer_for, encode);
    t.save(writer_for, encode);
    CHECK(encoded == 1);
    CHECK(out["k"].bytes().size() > 0);
    t.changed(*t.find(ids.intern("k")));
    t.save(writer_for, encode);
    CHECK(encoded == 2);
  }
}

}  // namespace rtfeat
