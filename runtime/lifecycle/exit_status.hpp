// What `rtfeat node`'s exit code says (docs/operations.md): 0 only when the job
// did what was asked. The facts of a run go in, one code comes out, so the
// precedence is decided (and tested) in one place, not along the node's code paths.
#pragma once

#include <cstdint>
#include <string>

namespace rtfeat {

enum class exit_status : int {
  ok = 0,                 // drained (or stopped, without --drain) with everything written and checkpointed
  failed = 1,             // not everything reached Redis: a sink stalled or failed, a peer was lost
  bad_setup = 2,          // config, catalogue, credentials, checkpoint dir: nothing ran
  checkpoint_failed = 3,  // everything written, but no checkpoint completed (or the final one failed)
  data_lost = 4,          // rejected events did not all reach the dead-letter sink
  interrupted = 5,        // a --drain stopped by a signal before its end (what was read is written)
  shutdown_timeout = 6,   // node.shutdown_timeout_ms passed: final checkpoint skipped, writes may be missing
};
/// A second SIGINT/SIGTERM exits at once with 128 + the signal number (130, 143).
constexpr int exit_code_for_second_signal(int signo) { return 128 + signo; }

/// The facts of one finished run of a node.
struct run_outcome {
  bool drain = false;                 // --drain: the job is to read to the end offsets
  bool stop_requested = false;        // an operator's signal (or a peer's stop) ended it early
  bool sinks_ok = true;               // every sink wrote everything it was given
  bool dead_letters_ok = true;        // every rejected event reached the dead-letter sink
  bool shutdown_timed_out = false;    // the stop did not finish within node.shutdown_timeout_ms
  bool checkpoints_on = false;        // checkpoint.interval_ms > 0 and checkpoints are ours to judge
  bool final_checkpoint_committed = false;
  uint64_t checkpoints_completed = 0;  // during the run, the final one included
};

/// Precedence: failed > shutdown_timeout > data_lost > interrupted > checkpoint_failed > ok.
exit_status exit_status_of(const run_outcome& r);

/// A short name for messages ("interrupted").
const char* exit_status_name(exit_status s);

inline int exit_code(exit_status s) { return static_cast<int>(s); }

}  // namespace rtfeat
