// Dead-letter actor: writes every rejected event with its reason (SPEC §2), so
// nothing bad ever disappears silently. Detached: it does blocking I/O.
#pragma once

#include <memory>

#include "actors/messages.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/dead_letter/dead_letter_writer.hpp"
#include "runtime/metrics/node_metrics.hpp"

namespace rtfeat {

struct dead_letter_sink_state {
  static inline const char* name = "dead_letter_sink";
  node_metrics* metrics = nullptr;
  bool failed = false;
};

/// Answers (end_atom) with true once everything received so far is durable.
caf::behavior dead_letter_sink(caf::stateful_actor<dead_letter_sink_state>* self,
                               std::shared_ptr<dead_letter_writer> writer, node_metrics* metrics);

}  // namespace rtfeat
