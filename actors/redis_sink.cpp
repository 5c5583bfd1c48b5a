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
  if (!st.redis) st.redis = redis_writer::connect(st.cfg.host, st.cfg.port, st.cfg.track_ttl, st.cfg.credentials, error);
  if (st.redis) {
    auto updates = st.pending.take();
    uint64_t commands = 0;
    auto started = std::chrono::steady_clock::now();
    if (st.redis->write(updates, commands, error)) {
      auto took = std::chrono::steady_clock::now() - started;
      auto& m = *st.cfg.metrics;
      m.redis_commands.fetch_add(commands, std::memory_order_relaxed);
      m.redis_write_us.observe(
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
      m.sink_batch_commands.observe(commands);
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

/// Writes everything pending, retrying for up to a minute; false if Redis stayed down.
bool write_all(sink_actor self) {
  for (int attempt = 0; attempt < 600 && !write_pending(self); ++attempt)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return self->state.pending.empty();
}

void drain(sink_actor self) {
  self->send(self->state.cfg.on_drained, drained_atom::value, write_all(self));
}

/// A checkpoint completes only once everything before its barrier is in Redis.
void on_barrier(sink_actor self, uint64_t id) {
  auto& st = self->state;
  if (id != st.barrier) st.barrier = id, st.barriers = 0;
  if (++st.barriers < st.cfg.shards) return;
  self->send(st.cfg.coordinator, barrier_atom::value, id, write_all(self));
}

}  // namespace

caf::behavior redis_sink(sink_actor self, sink_settings cfg) {
  self->state.cfg = std::move(cfg);
  self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms), flush_atom::value);
  return {
    [=](update_batch& b) {
      // Written at once; the credit tells the shard it may send the next batch.
      for (auto& u : b.updates) self->state.pending.add(std::move(u));
      write_pending(self);
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), credit_atom::value);
    },
    [=](flush_atom) {
      write_pending(self);
      self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms),
                         flush_atom::value);
    },
    [=](end_atom) {
      if (++self->state.ended == self->state.cfg.shards) drain(self);
    },
    [=](barrier_atom, uint64_t id) { on_barrier(self, id); },
  };
}

}  // namespace rtfeat
