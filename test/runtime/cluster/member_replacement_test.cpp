// Replacing a member lost for good: only after cluster.replace_after_ms, only
// by the lowest-placed member that reaches a strict majority; a minority waits.
#include "runtime/cluster/member_replacement.hpp"

#include <doctest/doctest.h>

using namespace rtfeat;

namespace {

membership of(size_t n) {
  membership m;
  m.epoch = 7;
  for (size_t i = 0; i < n; ++i)
    m.members.push_back({"n" + std::to_string(i + 1), "127.0.0.1", 4601 + static_cast<int>(i)});
  return m;
}

survivor_view view(size_t me, std::vector<bool> reached, int64_t silent_ms,
                   int64_t after_ms = 5000) {
  survivor_view v;
  v.me = me;
  v.reached = std::move(reached);
  v.silent_ms = silent_ms;
  v.replace_after_ms = after_ms;
  return v;
}

}  // namespace

TEST_CASE(
  "replacement: the lowest reached member commits the survivors once the lost one was silent long "
  "enough") {
  auto d = decide_replacement(of(3), view(0, {true, true, false}, 6000), 42, 1000);
  REQUIRE(d.step == replacement_step::commit);
  REQUIRE(d.next_epoch);
  CHECK(d.next_epoch->epoch == 8);
  CHECK(d.next_epoch->checkpoint_id == 42);
  CHECK(d.next_epoch->created_ms == 1000);
  CHECK(d.next_epoch->ids() == "n1, n2");
  CHECK(d.next_epoch->change == "replace n3 (silent for 6 s)");
}

TEST_CASE("replacement: a lost first member is replaced by the next one, which becomes member 0") {
  auto d = decide_replacement(of(3), view(1, {false, true, true}, 6000), 1, 0);
  REQUIRE(d.step == replacement_step::commit);
  CHECK(d.next_epoch->ids() == "n2, n3");
  CHECK(decide_replacement(of(3), view(2, {false, true, true}, 6000), 1, 0).step
        == replacement_step::wait_decider);
}

TEST_CASE("replacement: before cluster.replace_after_ms, or with it 0, everyone waits") {
  CHECK(decide_replacement(of(3), view(0, {true, true, false}, 4999), 1, 0).step
        == replacement_step::wait);
  auto off = decide_replacement(of(3), view(0, {true, true, false}, 600000, 0), 1, 0);
  CHECK(off.step == replacement_step::wait);
  CHECK(off.why.find("never replaced") != std::string::npos);
}

TEST_CASE("replacement: a minority never decides, however long it waits") {
  auto cut_off = decide_replacement(of(3), view(2, {false, false, true}, 3600000), 1, 0);
  CHECK(cut_off.step == replacement_step::wait_minority);
  CHECK_FALSE(cut_off.next_epoch);
  // Half is not a majority: two nodes split in two both wait.
  CHECK(decide_replacement(of(2), view(0, {true, false}, 3600000), 1, 0).step
        == replacement_step::wait_minority);
  CHECK(decide_replacement(of(4), view(0, {true, true, false, false}, 3600000), 1, 0).step
        == replacement_step::wait_minority);
  CHECK(decide_replacement(of(5), view(0, {true, true, true, false, false}, 3600000), 1, 0).step
        == replacement_step::commit);
}

TEST_CASE("replacement: with every member reached there is nothing to replace") {
  CHECK(decide_replacement(of(3), view(0, {true, true, true}, 3600000), 1, 0).step
        == replacement_step::wait);
}
