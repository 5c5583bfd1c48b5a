// Redis sink (see redis_sink.hpp). A failed write keeps its updates pending and
// is retried: values are absolute, so writing one twice is harmless.
#include "actors/redis_sink.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "caf/all.hpp"
#include "actors/atoms.hpp"

namespace rtfeat {

namespace {

using sink_actor = caf::stateful_actor<redis_sink_state>*;

/// Writes everything pending; false (updates kept) when Redis failed.
bool write_pending(sink_actor self) {
  auto& st = self->state;
  if (st.pending.empty()) return true;
  std::string error;
  if (!st.redis) st.redis = redis_writer::connect(st.cfg.host, st.cfg.port, error);
  if (st.redis) {
    auto updates = st.pending.take();
    uint64_t commands = 0;
    if (st.redis->write(updates, commands, error)) {
      st.cfg.metrics->redis_commands.fetch_add(commands, std::memory_order_relaxed);
      st.failures_in_a_row = 0;
      return true;
    }
    for (auto& u : updates) st.pending.add(std::move(u));
    st.redis.reset();
  }
  st.cfg.metrics->redis_errors.fetch_add(1, std::memory_order_relaxed);
  if (st.failures_in_a_row++ % 50 == 0)
    std::cerr << "rtfeat: redis sink: " << error << " (retrying, nothing is dropped)\n";
  return false;
}

void drain(sink_actor self) {
  // Retry for up to a minute, then report failure instead of hanging forever.
  for (int attempt = 0; attempt < 600 && !write_pending(self); ++attempt)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  bool ok = self->state.pending.empty();
  self->send(self->state.cfg.on_drained, drained_atom::value, ok);
  self->quit();
}

}  // namespace

caf::behavior redis_sink(sink_actor self, sink_settings cfg) {
  self->state.cfg = std::move(cfg);
  self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms), flush_atom::value);
  return {
    [=](update_batch& b) {
      for (auto& u : b.updates) self->state.pending.add(std::move(u));
    },
    [=](flush_atom) {
      write_pending(self);
      self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms),
                         flush_atom::value);
    },
    [=](end_atom) {
      if (++self->state.ended == self->state.cfg.shards) drain(self);
    },
  };
}

}  // namespace rtfeat
