// A shard whose checkpointed body does not decode: the node must hear it at its
// ready request (and exit 1 through its normal shutdown), not find the process
// gone (it used to std::exit inside the actor). Driven by CAF's testing scheduler.
#include <doctest/doctest.h>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/keyed_shard.hpp"
#include "test/support/caf_test_system.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

struct shard_fixture : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> node;
  node_metrics metrics;
  caf::actor shard;
  shard_fixture() {
    node = std::make_unique<caf::scoped_actor>(*sys);
  }
  ~shard_fixture() {
    if (shard) caf::anon_send_exit(shard, caf::exit_reason::kill);
    sched->run();
  }
  /// A user shard of key group 0 restoring `bodies` (no readers, no sinks).
  void spawn(restored_bodies bodies) {
    shard_settings s;
    s.kind = shard_kind::user;
    s.plan = std::make_shared<const feature_plan>(test::default_plan());
    s.metrics = &metrics;
    s.key_groups = {0};
    s.restore = std::make_shared<const restored_bodies>(std::move(bodies));
    shard = sys->spawn(keyed_shard, std::move(s));
    sched->run();
  }
  /// The answer to the node's ready request: "" when ready, else the error.
  std::string ready() {
    (*node)->send(shard, ready_atom::value);
    sched->run();
    std::string answer = "<none>";
    (*node)->receive([&](ready_atom) { answer = ""; },
                     [&](caf::error& e) { answer = sys->render(e); },
                     caf::after(std::chrono::seconds(0)) >> [] {});
    return answer;
  }
};

}  // namespace

TEST_CASE_FIXTURE(shard_fixture, "a shard whose checkpointed body does not decode answers ready with the error") {
  spawn({{0, "not a snapshot body"}});
  auto answer = ready();
  CHECK(answer.find("restoring key group 0") != std::string::npos);
}

TEST_CASE_FIXTURE(shard_fixture, "a shard with nothing to restore for its key group is ready") {
  spawn({});
  CHECK(ready().empty());
}
