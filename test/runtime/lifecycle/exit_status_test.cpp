// Exit codes of a node run: 0 only when the job did what was asked.
#include "runtime/lifecycle/exit_status.hpp"

#include <doctest/doctest.h>

using namespace rtfeat;

TEST_SUITE("runtime.exit_status") {
  TEST_CASE("a drain with everything written and the final checkpoint committed exits 0") {
    run_outcome r{.drain = true, .checkpoints_on = true, .final_checkpoint_committed = true,
                  .checkpoints_completed = 1};
    CHECK(exit_status_of(r) == exit_status::ok);
  }
  TEST_CASE("a drain stopped by a signal is interrupted, not ok") {
    run_outcome r{.drain = true, .stop_requested = true, .checkpoints_on = true,
                  .final_checkpoint_committed = true, .checkpoints_completed = 3};
    CHECK(exit_status_of(r) == exit_status::interrupted);
  }
  TEST_CASE("a live node stopped as asked exits 0") {
    run_outcome r{.stop_requested = true, .checkpoints_on = true, .final_checkpoint_committed = true,
                  .checkpoints_completed = 2};
    CHECK(exit_status_of(r) == exit_status::ok);
  }
  TEST_CASE("a run without any completed checkpoint exits 3") {
    run_outcome r{.drain = true, .checkpoints_on = true};
    CHECK(exit_status_of(r) == exit_status::checkpoint_failed);
    r.checkpoints_on = false;  // checkpoints off: nothing was asked of them
    CHECK(exit_status_of(r) == exit_status::ok);
  }
  TEST_CASE("a stalled sink fails the run whatever else happened") {
    run_outcome r{.drain = true, .stop_requested = true, .sinks_ok = false, .dead_letters_ok = false};
    CHECK(exit_status_of(r) == exit_status::failed);
  }
  TEST_CASE("a stop past its deadline is a shutdown timeout, before lost dead letters") {
    run_outcome r{.stop_requested = true, .sinks_ok = false, .dead_letters_ok = false, .shutdown_timed_out = true};
    CHECK(exit_status_of(r) == exit_status::shutdown_timeout);
    CHECK(exit_code(exit_status::shutdown_timeout) == 6);
  }
  TEST_CASE("lost dead letters are data errors") {
    run_outcome r{.drain = true, .dead_letters_ok = false};
    CHECK(exit_status_of(r) == exit_status::data_lost);
  }
  TEST_CASE("a second signal exits with 128 plus its number") {
    CHECK(exit_code_for_second_signal(15) == 143);
    CHECK(exit_code_for_second_signal(2) == 130);
  }
}
