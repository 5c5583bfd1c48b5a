// Exit status of a node run (see exit_status.hpp).
#include "runtime/lifecycle/exit_status.hpp"

namespace rtfeat {

exit_status exit_status_of(const run_outcome& r) {
  if (!r.sinks_ok && !r.shutdown_timed_out) return exit_status::failed;
  if (r.shutdown_timed_out) return exit_status::shutdown_timeout;
  if (!r.dead_letters_ok) return exit_status::data_lost;
  if (r.drain && r.stop_requested) return exit_status::interrupted;
  if (r.checkpoints_on && (!r.final_checkpoint_committed || r.checkpoints_completed == 0))
    return exit_status::checkpoint_failed;
  return exit_status::ok;
}

const char* exit_status_name(exit_status s) {
  switch (s) {
    case exit_status::ok: return "ok";
    case exit_status::failed: return "failed";
    case exit_status::bad_setup: return "bad setup";
    case exit_status::checkpoint_failed: return "checkpoint failed";
    case exit_status::data_lost: return "dead letters lost";
    case exit_status::interrupted: return "interrupted";
    case exit_status::shutdown_timeout: return "shutdown timed out";
  }
  return "unknown";
}

}  // namespace rtfeat
