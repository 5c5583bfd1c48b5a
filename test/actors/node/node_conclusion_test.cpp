// How a node's run is concluded: the exit status and the sentence of the last
// line `rtfeat node` prints, which the integration tests and the drill read.
#include <doctest/doctest.h>

#include "actors/node/node_conclusion.hpp"

using namespace rtfeat;

TEST_SUITE("actors.node.conclusion") {
  TEST_CASE("a drain with everything written and checkpointed exits 0 and says it drained") {
    run_outcome out{.drain = true, .checkpoints_on = true, .final_checkpoint_committed = true,
                    .checkpoints_completed = 4};
    auto c = node::conclude(out, node::sink_wait{}, "");
    CHECK(c.status == exit_status::ok);
    CHECK(c.line() == "rtfeat node: exit 0 (ok): drained: every event up to the end offsets seen at start is in Redis");
  }

  TEST_CASE("a stalled sink's reason comes first and the run fails") {
    node::sink_wait w{.ok = false, .failure = "sink 2 stalled"};
    run_outcome out{.drain = true, .sinks_ok = false, .checkpoints_on = true};
    auto c = node::conclude(out, w, "skipped: not everything reached Redis");
    CHECK(c.status == exit_status::failed);
    CHECK(c.line()
          == "rtfeat node: exit 1 (failed): sink 2 stalled; no final checkpoint (skipped: not everything reached Redis)");
  }

  TEST_CASE("a live node stopped as asked without its final checkpoint exits 3 and says why") {
    node::sink_wait w{.stopped = true, .failure = ""};
    run_outcome out{.stop_requested = true, .checkpoints_on = true, .checkpoints_completed = 2};
    auto c = node::conclude(out, w, "no time left within node.shutdown_timeout_ms");
    CHECK(c.status == exit_status::checkpoint_failed);
    CHECK(c.why == "stopped as asked; no final checkpoint (no time left within node.shutdown_timeout_ms)");
  }

  TEST_CASE("a drain stopped early is interrupted; lost dead letters outrank it") {
    node::sink_wait w{.stopped = true, .failure = ""};
    run_outcome out{.drain = true, .stop_requested = true};
    auto c = node::conclude(out, w, "");
    CHECK(c.status == exit_status::interrupted);
    CHECK(c.why == "the drain was stopped before its end");
    out.dead_letters_ok = false;
    c = node::conclude(out, w, "");
    CHECK(c.status == exit_status::data_lost);
    CHECK(c.line() == "rtfeat node: exit 4 (dead letters lost): not every rejected event reached the dead-letter "
                      "sink (its error is above)");
  }

  TEST_CASE("with checkpoints off a finished run needs no final checkpoint") {
    auto c = node::conclude(run_outcome{}, node::sink_wait{}, "checkpoints are off");
    CHECK(c.status == exit_status::ok);
    CHECK(c.why == "finished");
  }
}
