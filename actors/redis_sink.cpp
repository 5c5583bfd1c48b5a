// Redis sink (see redis_sink.hpp). A failed write keeps its updates pending and
// is retried: values are absolute, so writing one twice is harmless. Every
// pipeline checks the dataset marker; a loss starts a resync, and a barrier is
// acked (or the drain reported) only once the shards' rewrites are written and
// the orphan sweep that follows them is done.
#include "actors/redis_sink.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <span>
#include <thread>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/redis/cluster/cluster_writer.hpp"
#include "runtime/redis/single_redis_writer.hpp"

namespace rtfeat {

namespace {

using sink_actor = caf::stateful_actor<redis_sink_state>*;

std::unique_ptr<feature_writer> make_writer(const sink_settings& cfg) {
  if (!cfg.cluster)
    return std::make_unique<single_redis_writer>(cfg.host, cfg.port, cfg.credentials, cfg.track_ttl, cfg.writer);
  cluster_writer_settings cs{.seeds = {}, .credentials = cfg.credentials, .track_ttl = cfg.track_ttl,
                             .writer = cfg.writer};
  for (const auto& seed : cfg.cluster_seeds)
    if (auto a = parse_node_address(seed)) cs.seeds.push_back(*a);  // the config was validated
  return std::make_unique<cluster_writer>(std::move(cs));
}

std::unique_ptr<orphan_sweep> make_sweep(const sink_settings& cfg) {
  if (!cfg.orphans) return nullptr;
  std::vector<node_address> nodes;
  if (cfg.cluster) {
    for (const auto& seed : cfg.cluster_seeds)
      if (auto a = parse_node_address(seed)) nodes.push_back(*a);
  } else {
    nodes.push_back({.host = cfg.host, .port = cfg.port});
  }
  auto scanner = std::make_unique<key_scanner>(std::move(nodes), cfg.cluster, cfg.credentials);
  return std::make_unique<orphan_sweep>(cfg.orphans, std::move(scanner), cfg.index, cfg.sinks);
}

void on_write_succeeded(sink_actor self) {
  auto& st = self->state;
  if (st.failures.failing())
    std::cerr << "rtfeat: redis sink: " << st.redis->where() << " takes writes again after "
              << st.failures.in_a_row() << " failed attempts\n";
  st.failures.on_success();
  st.failures_in_a_row = 0;
}

/// Every failure is counted; new errors are logged at once, repeated ones every
/// few seconds. Failing for sink.stall_timeout_ms is a stall: the node is told
/// once and the sink stops retrying (a drain must fail, not hang).
void on_write_failed(sink_actor self, const std::string& error) {
  auto& st = self->state;
  auto now = write_failures::clock::now();
  st.cfg.metrics->redis_errors.fetch_add(1, std::memory_order_relaxed);
  ++st.failures_in_a_row;
  if (st.failures.on_failure(error, now))
    std::cerr << "rtfeat: redis sink: " << error << " (attempt " << st.failures.in_a_row() << ", failing for "
              << st.failures.failing_ms(now) << " ms; retrying, nothing is dropped)\n";
  if (st.stalled || !st.failures.stalled(now)) return;
  st.stalled = true;
  auto why = st.redis->where() + " refused every write for " + std::to_string(st.failures.failing_ms(now))
             + " ms (sink.stall_timeout_ms = " + std::to_string(st.cfg.stall_timeout_ms) + "); last error: " + error;
  std::cerr << "rtfeat: redis sink: giving up: " << why << "\n";
  if (st.cfg.on_drained) self->send(st.cfg.on_drained, stalled_atom::value, why);
}

/// The journal's deletes go to the front of what is pending: they are older
/// than anything in it, so a field set since wins over its delete (the rest of
/// a write under way goes back behind them: write_pending).
size_t replay_deletes(redis_sink_state& st) {
  auto newer = st.pending.take();
  auto deletes = st.journal.deletes();
  for (auto& d : deletes) st.pending.add(std::move(d));
  for (auto& u : newer) st.pending.add(std::move(u));
  return deletes.size();
}

/// Redis lost writes this sink had confirmed: the deletes it wrote lately are
/// sent again, and every shard rewrites every key it owns (all sinks' keys: the
/// loss is not one sink's). The rewrites come after the deletes (they are
/// asked for after), so what the state holds is what stays.
void start_resync(sink_actor self) {
  auto& st = self->state;
  st.cfg.metrics->redis_resyncs.fetch_add(1, std::memory_order_relaxed);
  ++st.resyncs_started;
  auto replayed = replay_deletes(st);
  std::cerr << "rtfeat: redis sink: " << st.redis->where() << " lost data it had acknowledged ("
            << st.redis->loss_detail() << "): resync: " << replayed << " deletes of the last "
            << st.journal.reach().count() << " ms written again, every key rewritten from state\n";
  for (const auto& s : st.shards) self->send(s, resync_atom::value);
  st.rewrites_pending += st.shards.size();
  ++st.sweeps_opened;
  st.sweep_wanted = true;  // a sweep under way is over: the next one starts after these rewrites
  st.sweeping = false;
}

/// Rewrites, then the orphan sweep: acks and drains wait for both.
bool resync_busy(const redis_sink_state& st) {
  return st.rewrites_pending > 0 || st.sweep_wanted || st.sweeping;
}

bool abandoned(const redis_sink_state& st) {
  return st.stalled || (st.cfg.abandon && st.cfg.abandon->load());
}

/// Updates per Redis write. A node that stops at once (a peer lost) waits for the
/// write under way: a replay's whole batch (85 k commands) took 2-4 s of that stop.
constexpr size_t max_updates_per_write = 1024;

/// One write of `part`; false when Redis failed.
bool write_part(sink_actor self, std::span<const key_update> part, std::string& error) {
  auto& st = self->state;
  uint64_t commands = 0;
  auto started = std::chrono::steady_clock::now();
  auto result = st.redis->write(part, commands, error);
  if (result == write_result::failed) return false;
  auto took = std::chrono::steady_clock::now() - started;
  auto& m = *st.cfg.metrics;
  m.redis_commands.fetch_add(commands, std::memory_order_relaxed);
  m.redis_write_us.observe(
    static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
  m.sink_batch_commands.observe(commands);
  m.redis_moved.fetch_add(st.redis->moved() - st.moved_seen, std::memory_order_relaxed);
  m.redis_ask.fetch_add(st.redis->asked() - st.asked_seen, std::memory_order_relaxed);
  st.moved_seen = st.redis->moved(), st.asked_seen = st.redis->asked();
  st.trace.written(took / std::chrono::microseconds(1), m.stages);
  st.journal.record(part, std::chrono::steady_clock::now());
  on_write_succeeded(self);
  if (result == write_result::lost_before) start_resync(self);
  return true;
}

/// Writes everything pending (with `check`, also when nothing is: the marker is
/// checked anyway), max_updates_per_write at a time; false (the unwritten updates
/// kept) when Redis failed or the node abandoned the sink meanwhile. A write that
/// finds a loss stops there: the rest goes back behind the journal's deletes
/// (start_resync), and what is pending then is written.
bool write_pending(sink_actor self, bool check = false) {
  auto& st = self->state;
  if (st.pending.empty() && !check) return true;
  if (abandoned(st)) return false;
  const auto resyncs = st.resyncs_started;
  auto updates = st.pending.take();
  auto keep_from = [&](size_t i) {  // back to pending, in order: written by a later attempt
    for (; i < updates.size(); ++i) st.pending.add(std::move(updates[i]));
  };
  size_t from = 0;
  do {  // slices of `updates`, written in place
    const size_t to = std::min(updates.size(), from + max_updates_per_write);
    if (std::string error;
        !write_part(self, std::span<const key_update>(updates).subspan(from, to - from), error)) {
      keep_from(from);
      on_write_failed(self, error);
      return false;
    }
    from = to;
  } while (from < updates.size() && !abandoned(st) && st.resyncs_started == resyncs);
  keep_from(from);
  if (st.resyncs_started != resyncs) return write_pending(self);
  return from == updates.size();
}

/// Writes everything pending and checks the marker, retrying until it is
/// written, the sink stalls or the node abandons it; false if something stayed
/// unwritten.
bool write_all(sink_actor self) {
  while (!write_pending(self, true) && !abandoned(self->state))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return self->state.pending.empty() && self->state.failures_in_a_row == 0;
}

/// Sends the held barrier ack and drained report once no rewrite is pending.
void release_held(sink_actor self) {
  auto& st = self->state;
  if (resync_busy(st) || (!st.ack_held && !st.drain_held)) return;
  bool ok = write_all(self);  // the rewrites and deletes, checked: may find another loss
  if (resync_busy(st)) return;
  if (st.ack_held) {
    st.ack_held = false;
    self->send(st.cfg.coordinator, barrier_atom::value, st.barrier, ok && st.ack_ok);
  }
  if (st.drain_held) {
    st.drain_held = false;
    self->send(st.cfg.on_drained, drained_atom::value, ok);
  }
}

void drain(sink_actor self) {
  auto& st = self->state;
  bool ok = write_all(self);
  if (resync_busy(st) && !abandoned(st)) {
    st.drain_held = true;
    return;
  }
  self->send(st.cfg.on_drained, drained_atom::value, ok);
}

/// A checkpoint completes only once everything before its barrier is in Redis,
/// and a resync's rewrites too.
void on_barrier(sink_actor self, uint64_t id) {
  auto& st = self->state;
  // A shard that aligned on a checkpoint the coordinator has since abandoned
  // passes its barrier on late: counting it would restart the newer count.
  if (id < st.barrier) return;
  if (id != st.barrier) st.barrier = id, st.barriers = 0;
  if (++st.barriers < st.cfg.shards) return;
  bool ok = write_all(self);
  if (resync_busy(st) && !abandoned(st)) {
    st.ack_held = true, st.ack_ok = ok;
    return;
  }
  self->send(st.cfg.coordinator, barrier_atom::value, id, ok);
}

/// Ends the sweep: counted, logged, the shards told to forget their held keys,
/// and what waited for it released.
void finish_sweep(sink_actor self) {
  auto& st = self->state;
  st.sweeping = false;
  st.cfg.metrics->redis_orphans_deleted.fetch_add(st.sweep_deleted, std::memory_order_relaxed);
  if (st.sweep) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now()
                                                                    - st.sweep_started);
    std::cerr << "rtfeat: redis sink: orphan sweep of " << st.redis->where() << ": "
              << st.sweep_deleted << " keys deleted that no shard holds (" << st.sweep->candidates()
              << " of " << st.sweep->scanned() << " keys checked, " << ms.count() << " ms)\n";
  }
  st.sweep_deleted = 0;
  for (const auto& s : st.shards) self->send(s, sweep_end_atom::value, st.sweeps_opened);
  st.sweeps_opened = 0;
  release_held(self);
}

/// Reads the next page of keys and hands each shard its candidates; the next
/// page waits for every answer, so one page at a time is in flight.
void sweep_step(sink_actor self) {
  auto& st = self->state;
  if (!st.sweeping || st.sweep_replies > 0) return;
  if (abandoned(st) || st.sweep->done()) return finish_sweep(self);
  std::vector<std::vector<orphan_candidate>> per_shard;
  std::string error;
  if (!st.sweep->next(st.shards.size(), per_shard, error)) {
    std::cerr << "rtfeat: redis sink: orphan sweep: " << error << " (starting the sweep over)\n";
    self->delayed_send(self, std::chrono::milliseconds(500), sweep_atom::value);
    return;
  }
  for (size_t i = 0; i < per_shard.size(); ++i) {
    if (per_shard[i].empty()) continue;
    self->send(st.shards[i], orphan_batch{std::move(per_shard[i])});
    ++st.sweep_replies;
  }
  if (st.sweep_replies == 0) self->send(self, sweep_atom::value);
}

/// Every shard rewrote its keys: sweep for the orphans (when this sink can).
void on_rewritten(sink_actor self) {
  auto& st = self->state;
  if (!st.sweep_wanted) return release_held(self);
  st.sweep_wanted = false;
  if (!st.sweep) return finish_sweep(self);
  st.sweeping = true;
  st.sweep_started = std::chrono::steady_clock::now();
  st.sweep->restart();
  sweep_step(self);
}

}  // namespace

caf::behavior redis_sink(sink_actor self, sink_settings cfg) {
  self->state.cfg = std::move(cfg);
  self->state.failures = write_failures(self->state.cfg.stall_timeout_ms);
  self->state.journal = delete_journal(std::chrono::milliseconds(self->state.cfg.delete_journal_ms));
  self->state.redis = make_writer(self->state.cfg);
  self->state.sweep = make_sweep(self->state.cfg);
  self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms), flush_atom::value);
  return {
    [=](update_batch& b) {
      // Written at once; the credit tells the shard it may send the next batch.
      self->state.trace.received(b.sent_us, b.updates.size());
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
    [=](shards_atom, std::vector<caf::actor>& shards) { self->state.shards = std::move(shards); },
    [=](rewritten_atom) {  // a shard sent its whole state (before this, FIFO)
      auto& st = self->state;
      if (st.rewrites_pending > 0 && --st.rewrites_pending == 0) on_rewritten(self);
    },
    [=](sweep_atom) { sweep_step(self); },
    [=](swept_atom, uint64_t deleted) {  // a shard sent its deletes (before this, FIFO)
      auto& st = self->state;
      st.sweep_deleted += deleted;
      if (st.sweep_replies > 0 && --st.sweep_replies == 0) sweep_step(self);
    },
  };
}

}  // namespace rtfeat
