// The conclusion of a node's run (see node_conclusion.hpp).
#include "actors/node/node_conclusion.hpp"

namespace rtfeat::node {

namespace {

std::string reason(const run_outcome& out, const sink_wait& w) {
  if (!w.failure.empty()) return w.failure;
  if (!out.sinks_ok) return "not everything reached Redis (its errors are above)";
  if (!out.dead_letters_ok) return "not every rejected event reached the dead-letter sink (its error is above)";
  if (w.stopped) return out.drain ? "the drain was stopped before its end" : "stopped as asked";
  return out.drain ? "drained: every event up to the end offsets seen at start is in Redis" : "finished";
}

}  // namespace

conclusion conclude(const run_outcome& out, const sink_wait& w, const std::string& checkpoint_why) {
  conclusion c{.status = exit_status_of(out), .why = reason(out, w)};
  if (out.checkpoints_on && !out.final_checkpoint_committed)
    c.why += "; no final checkpoint (" + checkpoint_why + ")";
  return c;
}

std::string conclusion::line() const {
  return "rtfeat node: exit " + std::to_string(rtfeat::exit_code(status)) + " (" + exit_status_name(status)
         + "): " + why;
}

}  // namespace rtfeat::node
