// An actor system on CAF's testing scheduler for the deterministic actor tests:
// nothing runs until the test calls sched->run() (or triggers a timer), so a
// test decides the order of every message. Derive a fixture from it: the system
// exists before the fixture's own members (scoped actors) are built.
#pragma once

#include <memory>

#include "caf/all.hpp"
#include "actors/message_types.hpp"

namespace rtfeat::test {

struct caf_test_system {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;

  caf_test_system() {
    register_message_types(cfg);
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
  }
};

}  // namespace rtfeat::test
