// Checkpoint coordinator (see checkpoint_coordinator.hpp).
#include "actors/checkpoint_coordinator.hpp"

#include <algorithm>
#include <iostream>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/event_parser.hpp"
#include "runtime/window/future_skew_guard.hpp"

namespace rtfeat {

namespace {

using coord_actor = caf::stateful_actor<checkpoint_coordinator_state>*;

void start_checkpoint(coord_actor self);

/// A checkpoint ended (committed or aborted): answer a waiting final request,
/// or start the final checkpoint it was waiting for.
void on_checkpoint_over(coord_actor self, bool committed) {
  auto& st = self->state;
  if (st.final_id != 0) {
    st.final_id = 0;
    st.final_rp.deliver(committed);
  } else if (st.final_wanted) {
    st.final_wanted = false;
    start_checkpoint(self);
    st.final_id = st.in_flight;
    if (st.final_id == 0) st.final_rp.deliver(false);  // could not even start
  }
}

void abort_checkpoint(coord_actor self, const std::string& why) {
  auto& st = self->state;
  std::cerr << "rtfeat: checkpoint " << st.in_flight << " aborted: " << why << "\n";
  // Its directory may stay behind: the next commit's retention removes it.
  if (auto removed = st.cfg.store->abort(st.in_flight); !removed)
    std::cerr << "rtfeat: checkpoint " << st.in_flight << ": " << removed.message() << "\n";
  st.cfg.metrics->checkpoints_failed.fetch_add(1);
  st.in_flight = 0;
  on_checkpoint_over(self, false);
}

void start_checkpoint(coord_actor self) {
  auto& st = self->state;
  auto id = st.cfg.store->next_id();
  if (!id) {
    std::cerr << "rtfeat: checkpoint: " << id.error().message() << "\n";
    st.cfg.metrics->checkpoints_failed.fetch_add(1);
    return;
  }
  // An aborted checkpoint's directory is gone, so the store would hand out its
  // id again; late answers and barriers of the aborted one would then count
  // for the new one. Ids only grow.
  if (*id <= st.last_id) id = st.last_id + 1;
  st.last_id = *id;
  st.in_flight = *id;
  st.started = std::chrono::steady_clock::now();
  st.positions.clear();
  st.entries.clear();
  st.snapshots = st.sinks_flushed = 0;
  st.phases = {};
  for (const auto& r : st.readers) self->send(r, barrier_atom::value, *id);
}

void maybe_complete(coord_actor self) {
  auto& st = self->state;
  if (st.positions.size() < st.readers.size() || st.snapshots < st.cfg.shards
      || st.sinks_flushed < st.cfg.sinks)
    return;
  checkpoint_manifest m;
  m.id = st.in_flight;
  m.created_ms = wall_clock_ms();
  m.catalogue_hash = st.cfg.catalogue_hash;
  m.snapshots = std::move(st.entries);
  std::sort(m.snapshots.begin(), m.snapshots.end(),
            [](const auto& a, const auto& b) { return a.key_group < b.key_group; });
  for (const auto& p : st.positions)
    m.positions.push_back(
      {st.cfg.topic, p.partition, p.next_offset,
       p.watermark == no_watermark ? std::nullopt : std::optional<int64_t>(p.watermark),
       p.future_suspect == no_future_suspect ? std::nullopt : std::optional<int64_t>(p.future_suspect)});
  m.meta = st.cfg.meta;
  std::string warning;
  if (auto committed = st.cfg.store->commit(m, st.cfg.keep, warning); !committed)
    return abort_checkpoint(self, committed.message());
  if (!warning.empty()) std::cerr << "rtfeat: " << warning << "\n";
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - st.started);
  auto& metrics = *st.cfg.metrics;
  metrics.checkpoints_completed.fetch_add(1);
  metrics.last_checkpoint_id = m.id;
  metrics.last_checkpoint_ms = ms.count();
  metrics.last_checkpoint_bytes = m.snapshot_bytes();
  metrics.last_checkpoint_written_bytes = m.written_bytes();
  metrics.last_checkpoint_align_ms = st.phases.align_ms;
  metrics.last_checkpoint_encode_ms = st.phases.encode_ms;
  metrics.last_checkpoint_write_ms = st.phases.write_ms;
  st.in_flight = 0;
  if (st.cfg.on_commit) self->send(st.cfg.on_commit, committed_atom::value, m.id);
  on_checkpoint_over(self, true);
}

void on_tick(coord_actor self) {
  auto& st = self->state;
  self->delayed_send(self, std::chrono::milliseconds(st.cfg.interval_ms), tick_atom::value);
  if (st.in_flight != 0) {
    auto age = std::chrono::steady_clock::now() - st.started;
    if (age > std::chrono::milliseconds(st.cfg.timeout_ms)) abort_checkpoint(self, "timed out");
    return;
  }
  // A drained job needs no more checkpoints: the last readers are finishing.
  if (std::all_of(st.ended.begin(), st.ended.end(), [](bool e) { return e; })) return;
  start_checkpoint(self);
}

}  // namespace

caf::behavior checkpoint_coordinator(coord_actor self, coordinator_settings cfg) {
  self->state.cfg = std::move(cfg);
  return {
    [=](start_atom, std::vector<caf::actor> readers) {
      self->state.readers = std::move(readers);
      self->state.ended.resize(self->state.readers.size(), false);  // some may have ended already
      if (self->state.cfg.interval_ms > 0)
        self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.interval_ms), tick_atom::value);
    },
    [=](tick_atom) { on_tick(self); },
    [=](const reader_position& p) {
      if (p.id != self->state.in_flight) return;
      self->state.positions.push_back(p);
      maybe_complete(self);
    },
    [=](snapshot_written& w) {
      auto& st = self->state;
      if (w.id != st.in_flight) return;
      if (!w.ok) return abort_checkpoint(self, w.error);
      st.entries.insert(st.entries.end(), w.entries.begin(), w.entries.end());
      st.phases.merge(w.phases);
      ++st.snapshots;
      maybe_complete(self);
    },
    [=](barrier_atom, uint64_t id, bool ok) {
      auto& st = self->state;
      if (id != st.in_flight) return;
      if (!ok) return abort_checkpoint(self, "a sink could not write to Redis");
      ++st.sinks_flushed;
      maybe_complete(self);
    },
    [=](end_atom, uint32_t reader) {
      // May come before start_atom: a reader of an empty partition ends at once (in a
      // cluster, readers of other nodes run before every node's readers are known).
      auto& ended = self->state.ended;
      if (reader >= ended.size()) ended.resize(reader + 1, false);
      ended[reader] = true;
    },
    // The job is drained or stopping: one last checkpoint of the final state
    // and end offsets (after the one in flight, if any); true once committed.
    [=](final_atom) -> caf::result<bool> {
      auto& st = self->state;
      if (st.cfg.interval_ms <= 0 || !st.cfg.store || st.final_wanted || st.final_id != 0) return false;
      st.final_rp = self->make_response_promise();
      st.final_wanted = true;
      if (st.in_flight == 0) on_checkpoint_over(self, false);
      return st.final_rp;
    },
  };
}

}  // namespace rtfeat
