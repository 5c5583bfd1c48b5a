// The shared per-entity bookkeeping: interned ids live while a table holds
// them, flush visits each marked entity once, erased rows give their id back.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "runtime/features/entity_table.hpp"
#include "test/support/entity_sink.hpp"

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

  TEST_CASE("the first save puts every entity, later ones what changed since and the erasures") {
    entity_interner ids;
    entity_table<int> t(ids);
    for (auto key : {"a", "b", "c"}) t.try_emplace(ids.intern(key)).first->state = 1;
    int encoded = 0;
    auto encode = [&](state_writer& w, const std::string& key, const int& x) {
      ++encoded;
      w.str(key).i64(x);
    };
    test::entity_sink out;
    t.save(out, encode);
    CHECK(encoded == 3);
    t.save(out, encode);
    CHECK(encoded == 3);  // nothing changed

    auto& a = *t.find(ids.intern("a"));
    a.state = 2;
    t.changed(a);
    t.changed(a);                                        // twice: still one put
    t.erase(ids.intern("b"));                            // saved before: its erasure is saved
    t.try_emplace(ids.intern("d")).first->state = 4;     // new: put
    t.try_emplace(ids.intern("e"));                      // new and gone before the save:
    t.erase(ids.intern("e"));                            // neither put nor erased
    t.erase(ids.intern("c"));                            // gone and back under the same key:
    t.try_emplace(ids.intern("c")).first->state = 3;     // erased, then put
    t.save(out, encode);
    CHECK(encoded == 6);
    CHECK(out.erases == 2);
    std::map<std::string, std::string> left;
    for (const auto& [k, bytes] : out.entities) left[k.second] = bytes;
    state_writer a2, c3, d4;
    a2.str("a").i64(2), c3.str("c").i64(3), d4.str("d").i64(4);
    CHECK(left == std::map<std::string, std::string>{
                    {"a", std::string(a2.bytes())}, {"c", std::string(c3.bytes())}, {"d", std::string(d4.bytes())}});
  }

  TEST_CASE("a table that was never saved keeps no list of changes") {
    entity_interner ids;
    entity_table<int> t(ids);
    for (int round = 0; round < 3; ++round) {  // checkpoints off: entities come and go
      auto id = ids.intern("k");
      t.changed(*t.try_emplace(id).first);
      t.erase(id);
    }
    t.try_emplace(ids.intern("k"));
    test::entity_sink out;
    t.save(out, [](state_writer& w, const std::string& key, const int&) { w.str(key); });
    CHECK(out.puts == 1);
    CHECK(out.erases == 0);
  }
}

}  // namespace rtfeat
