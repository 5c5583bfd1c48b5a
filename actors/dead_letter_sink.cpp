// Dead-letter actor (see dead_letter_sink.hpp).
#include "actors/dead_letter_sink.hpp"

#include <iostream>

#include "caf/all.hpp"
#include "actors/atoms.hpp"

namespace rtfeat {

caf::behavior dead_letter_sink(caf::stateful_actor<dead_letter_sink_state>* self,
                               std::shared_ptr<dead_letter_writer> writer, node_metrics* metrics) {
  // The writer is handed over as shared_ptr because CAF copies spawn arguments.
  self->state.metrics = metrics;
  auto shared = std::move(writer);
  return {
    [=](const dead_letter& d) {
      if (shared->write(d.reason, d.partition, d.offset, d.payload)) {
        self->state.metrics->dead_letters_written.fetch_add(1, std::memory_order_relaxed);
      } else if (!self->state.failed) {
        self->state.failed = true;
        std::cerr << "rtfeat: dead-letter sink: " << shared->last_error() << "\n";
      }
    },
    [=](end_atom) -> bool {
      bool ok = shared->flush() && !self->state.failed;
      if (auto summary = shared->summary(); !summary.empty()) std::cerr << "node: dead-letter sink: " << summary << "\n";
      if (!ok) std::cerr << "rtfeat: dead-letter sink: " << shared->last_error() << "\n";
      self->quit();
      return ok;
    },
  };
}

}  // namespace rtfeat
