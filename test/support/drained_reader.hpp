// The reader settings the actor tests share: a drained partition of an
// in-memory source, read with 5 s of out-of-orderness and 60 s of lateness.
// Each test then sets its batching, polling and restored start.
#pragma once

#include <memory>
#include <utility>

#include "caf/all.hpp"
#include "actors/partition_reader.hpp"

namespace rtfeat::test {

inline reader_settings drained_reader(message_source& source, std::shared_ptr<const feature_plan> plan,
                                      std::shared_ptr<const routing> routes, caf::actor dead_letters,
                                      caf::actor coordinator, node_metrics& metrics) {
  reader_settings r;
  r.source = &source;
  r.drain = true;
  r.out_of_orderness_ms = 5000;
  r.max_lateness_ms = 60000;
  r.idle_timeout_ms = 10000;
  r.plan = std::move(plan);
  r.routes = std::move(routes);
  r.dead_letters = std::move(dead_letters);
  r.coordinator = std::move(coordinator);
  r.metrics = &metrics;
  return r;
}

}  // namespace rtfeat::test
