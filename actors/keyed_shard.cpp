// Keyed shard (see keyed_shard.hpp). Handlers stay short: the state work is in
// runtime/features and runtime/checkpoint; this file moves messages and time.
#include "actors/keyed_shard.hpp"

#include <chrono>
#include <iostream>
#include <utility>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {

using shard_actor = caf::stateful_actor<keyed_shard_state>*;

void advance(shard_actor self) {
  auto& st = self->state;
  auto w = st.merge->current();
  if (w == no_watermark || (st.watermark != no_watermark && w <= st.watermark)) return;
  st.watermark = w;
  for (auto& f : st.features) f.state->advance(w);
  st.cfg.metrics->set_shard_watermark(self->id(), w);
}

/// State size per feature for the metrics endpoint: at checkpoints and the end.
void report_entities(shard_actor self) {
  auto& st = self->state;
  for (const auto& f : st.features) st.cfg.metrics->set_entities(self->id(), f.name, f.state->entities());
}

/// Flushes the features whose emit interval is up (all when `force`d) into
/// `updates`; arms one emit_atom for the earliest feature left waiting.
void flush_features(shard_actor self, bool force, std::vector<key_update>& updates) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  auto next = std::chrono::steady_clock::time_point::max();
  for (auto& f : st.features) {
    auto due = f.emitted + f.emit_every;
    if (force || now >= due) {
      f.state->flush(updates);
      f.emitted = now;
    } else {
      next = std::min(next, due);
    }
  }
  if (next != std::chrono::steady_clock::time_point::max() && !st.emit_scheduled) {
    st.emit_scheduled = true;
    self->delayed_send(self, std::chrono::ceil<std::chrono::milliseconds>(next - now), emit_atom::value);
  }
}

/// Saves what changed since the last save into the next checkpoint's changes.
/// Between barriers (after each flush, once a checkpoint saved the whole state)
/// the changes are still in the caches, so the barrier finds little left to
/// encode; past presave_limit bytes (checkpoints held up) the rest waits for it.
void save_changes(shard_actor self, bool at_barrier) {
  auto& st = self->state;
  constexpr size_t presave_limit = size_t{64} << 20;
  if (!at_barrier && (!st.saved || st.changes.bytes() >= presave_limit)) return;
  save_shard_changes(st.named, st.cfg.key_groups, st.cfg.max_parallelism, st.cfg.file_offset, st.changes);
}

void send_updates(shard_actor self, std::vector<key_update>& updates) {
  auto& st = self->state;
  st.cfg.metrics->key_updates.fetch_add(updates.size(), std::memory_order_relaxed);
  st.held.record(updates);
  std::vector<update_batch> per_sink(st.cfg.sinks.size());
  if (per_sink.size() == 1)
    per_sink[0].updates = std::move(updates);  // the usual case: no update moved
  else
    for (auto& u : updates)
      per_sink[sink_of(u.key, per_sink.size())].updates.push_back(std::move(u));
  for (size_t i = 0; i < per_sink.size(); ++i) {
    if (per_sink[i].updates.empty()) continue;
    ++st.outstanding;
    per_sink[i].sent_us = stage_clock_us();
    self->send(st.cfg.sinks[i], std::move(per_sink[i]));
  }
}

/// Sends every change to the sinks. Unless `force`d (barriers, the end), waits
/// while earlier updates are unwritten: changes keep coalescing in the state
/// meanwhile, so the flush rate follows what Redis can take.
void flush(shard_actor self, bool force = false) {
  auto& st = self->state;
  if (st.outstanding > 0 && !force) {
    st.flush_wanted = true;
    return;
  }
  st.flush_wanted = false;
  st.last_flush = std::chrono::steady_clock::now();
  std::vector<key_update> updates;
  flush_features(self, force, updates);
  st.trace.flushed(st.cfg.metrics->stages);
  if (!updates.empty()) send_updates(self, updates);
  save_changes(self, false);
}

/// Flushes at most every flush interval: at once when the last flush is that
/// old (a change after a quiet spell is not held back a whole interval), else
/// when the interval is up.
void schedule_flush(shard_actor self) {
  auto& st = self->state;
  if (st.flush_scheduled) return;
  auto since = std::chrono::steady_clock::now() - st.last_flush;
  auto wait = std::chrono::milliseconds(st.cfg.flush_interval_ms) - since;
  if (wait <= std::chrono::steady_clock::duration::zero()) return flush(self);
  st.flush_scheduled = true;
  self->delayed_send(self, std::chrono::ceil<std::chrono::milliseconds>(wait), flush_atom::value);
}

void add_event(shard_actor self, const routed_event& e) {
  auto& st = self->state;
  auto seq = st.seq++;
  bool user = st.cfg.kind == shard_kind::user;
  scope_interners::ids ids;  // the event's routing keys, interned once for all features
  st.interners.intern(e.ev, user ? scope_bit(feature_scope::user) : e.scopes, ids);
  for (auto& f : st.features)
    if (user || (e.scopes & scope_bit(f.scope)) != 0)
      f.state->add_to(ids[static_cast<size_t>(f.scope)], e.ev, e.wm_at_read, seq);
  st.interners.release_unused(ids);
}

void on_batch(shard_actor self, event_batch& b) {
  auto& s = self->state;
  s.trace.batch_started(b.sent_us, b.events.size(), s.cfg.metrics->stages);
  for (const auto& e : b.events) add_event(self, e);
  s.merge->exclude(b.reader, false);
  s.merge->update(b.reader, b.watermark);
  advance(self);
  schedule_flush(self);
}

void on_reader_end(shard_actor self, const reader_end& end) {
  auto& st = self->state;
  if (end.watermark == no_watermark) st.merge->exclude(end.reader);
  else st.merge->update(end.reader, end.watermark);
  if (++st.ended < st.cfg.readers) return advance(self);
  // Every reader is done: the final watermark of SPEC §4a, one last flush.
  advance(self);
  flush(self, true);
  int64_t w = st.watermark;
  auto& shown = st.cfg.metrics->watermark;
  for (auto cur = shown.load(); (cur == no_watermark || w < cur) && !shown.compare_exchange_weak(cur, w);) {}
  for (const auto& s : st.cfg.sinks) self->send(s, end_atom::value);
  report_entities(self);
}

void process(shard_actor self, keyed_shard_state::held_message& m) {
  if (auto* b = std::get_if<event_batch>(&m)) on_batch(self, *b);
  else on_reader_end(self, std::get<reader_end>(m));
}

void release_held(shard_actor self) {
  for (auto& m : self->state.alignment->release()) process(self, m);
}

/// All readers delivered barrier `id`: flush everything before it to the
/// sinks, save what changed since the last checkpoint (the writer keeps the
/// rest), pass the barrier on, let readers go on.
void on_aligned(shard_actor self, uint64_t id) {
  auto& st = self->state;
  using std::chrono::duration_cast, std::chrono::milliseconds, std::chrono::steady_clock;
  auto aligned = steady_clock::now();
  flush(self, true);
  save_changes(self, true);
  shard_snapshot snap{id, std::exchange(st.changes, {}), !st.saved, {}};
  snap.changes.watermark = st.watermark, snap.changes.seq = st.seq;
  st.saved = true;
  snap.phases.align_ms = duration_cast<milliseconds>(aligned - st.align_started).count();
  snap.phases.encode_ms = duration_cast<milliseconds>(steady_clock::now() - aligned).count();
  self->send(st.cfg.snapshot_writer, std::move(snap));
  for (const auto& s : st.cfg.sinks) self->send(s, barrier_atom::value, id);
  report_entities(self);
  release_held(self);
}

void on_barrier(shard_actor self, const barrier_marker& b) {
  auto& al = *self->state.alignment;
  // A slow reader's barrier of a checkpoint the coordinator already abandoned:
  // the alignment under way is a newer one and must not be undone by it.
  if (b.id < al.current()) return;
  if (b.id != al.current() && al.pending()) release_held(self);  // an abandoned checkpoint
  if (!al.pending()) self->state.align_started = std::chrono::steady_clock::now();
  if (al.on_barrier(b.reader, b.id)) on_aligned(self, b.id);
}

/// Loads the shard's key groups from the checkpoint. A body that does not decode
/// (checksums passed, so a bug or a foreign file) is fatal to the node: the shard
/// stops restoring and answers the node's ready request with the error.
void restore(shard_actor self) {
  auto& st = self->state;
  using clock = std::chrono::steady_clock;
  auto started = clock::now(), shown = started;
  std::string shard = st.cfg.kind == shard_kind::user ? "user shard" : "category shard";
  if (!st.cfg.key_groups.empty())
    shard += " of key groups " + std::to_string(st.cfg.key_groups.front()) + "-" + std::to_string(st.cfg.key_groups.back());
  std::vector<uint32_t> found;           // the key groups the checkpoint holds a body of
  std::vector<std::string_view> bodies;  // theirs, in the same order
  for (auto kg : st.cfg.key_groups)
    if (auto it = st.cfg.restore->find(kg + st.cfg.file_offset); it != st.cfg.restore->end())
      found.push_back(kg), bodies.push_back(it->second);
  reserve_shard_state(bodies, st.named);
  size_t groups = 0;
  std::vector<std::string> dropped;
  for (; groups < bodies.size(); ++groups) {
    std::string error;
    if (!decode_shard_state(bodies[groups], st.named, st.watermark, st.seq, dropped, error)) {
      st.restore_error = "restoring key group " + std::to_string(found[groups]) + ": " + error;
      return;
    }
    if (auto now = clock::now(); now - shown >= std::chrono::seconds(1)) {  // a large state takes seconds
      shown = now;
      std::cerr << "node: " << shard << " restoring: " << groups + 1 << " of " << st.cfg.key_groups.size()
                << " key groups\n";
    }
  }
  for (const auto& name : dropped)
    std::cerr << "node: feature '" << name << "' is no longer in the catalogue: its checkpointed state is dropped\n";
  for (auto& f : st.features) {
    if (st.watermark != no_watermark) f.state->advance(st.watermark);
    f.state->rewrite_all();
  }
  if (st.seq > 0) ++st.seq;
  report_entities(self);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started);
  std::cerr << "node: " << shard << " restored " << groups
            << " key groups in " << ms.count() << " ms\n";
  schedule_flush(self);
}

/// A sink found that Redis lost data: every key this shard owns is written
/// whole, and the sink hears of it after the updates (FIFO per pair).
void resync(shard_actor self) {
  self->state.held.open();  // the rewrite's keys are what the state holds
  for (auto& f : self->state.features) f.state->rewrite_all();
  flush(self, true);
  self->send(caf::actor_cast<caf::actor>(self->current_sender()), rewritten_atom::value);
}

/// A sink's orphan sweep found these keys of this shard's key groups in Redis:
/// those the state did not write since the rewrite it no longer holds, and
/// their deletes go out like any update, after its writes of the same key
/// (flushed first, so a key an event re-created since is held, not deleted).
void sweep_orphans(shard_actor self, const orphan_batch& b) {
  auto& st = self->state;
  flush(self, true);
  std::vector<key_update> deletes;
  auto n = st.held.deletes_for(b.keys, deletes);
  if (!deletes.empty()) send_updates(self, deletes);
  self->send(caf::actor_cast<caf::actor>(self->current_sender()), swept_atom::value,
             static_cast<uint64_t>(n));
}

}  // namespace

size_t sink_of(std::string_view redis_key, size_t sinks) {
  return sinks <= 1 ? 0 : murmur2(redis_key) % sinks;
}

caf::behavior keyed_shard(shard_actor self, shard_settings cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  std::vector<feature_scope> scopes;
  std::vector<std::string> names;
  auto states = make_feature_states(*st.cfg.plan, st.cfg.kind == shard_kind::user, scopes, &names, &st.interners);
  for (size_t i = 0; i < states.size(); ++i) {
    st.named.push_back({names[i], states[i].get()});
    st.features.push_back({.state = std::move(states[i]), .scope = scopes[i], .name = names[i],
                           .emit_every = std::chrono::milliseconds(emit_interval_of(*st.cfg.plan, names[i])),
                           .emitted = {}});
  }
  st.merge = std::make_unique<watermark_merge>(st.cfg.readers);
  st.alignment = std::make_unique<barrier_alignment<keyed_shard_state::held_message>>(st.cfg.readers);
  if (st.cfg.restore) {
    restore(self);  // rewrites every restored key: --resync needs nothing more
  } else if (st.cfg.rewrite_at_start) {
    for (auto& f : st.features) f.state->rewrite_all();
    schedule_flush(self);
  }
  if (st.cfg.readers == 0) self->send(self, end_atom::value);
  return {
    [=](event_batch& b) {
      // Credit back to the reader: it keeps only a few batches in flight.
      self->send(caf::actor_cast<caf::actor>(self->current_sender()), credit_atom::value);
      auto reader = b.reader;  // hold()'s arguments may be evaluated after the move
      if (self->state.alignment->is_blocked(reader))
        self->state.alignment->hold(reader, std::move(b));
      else
        on_batch(self, b);
    },
    [=](const reader_end& end) {
      if (self->state.alignment->is_blocked(end.reader))
        self->state.alignment->hold(end.reader, end);
      else
        on_reader_end(self, end);
    },
    [=](const barrier_marker& b) { on_barrier(self, b); },
    [=](ready_atom) -> caf::result<ready_atom> {  // answered once the restore in init is done
      if (!self->state.restore_error.empty())
        return caf::make_error(caf::sec::runtime_error, self->state.restore_error);
      return ready_atom::value;
    },
    [=](idle_atom, uint32_t reader) {
      self->state.merge->exclude(reader);
      advance(self);
      schedule_flush(self);
    },
    [=](flush_atom) {
      self->state.flush_scheduled = false;
      flush(self);
    },
    [=](emit_atom) {
      self->state.emit_scheduled = false;
      flush(self);
    },
    [=](credit_atom) {  // a sink wrote one of our update batches
      auto& s = self->state;
      if (s.outstanding > 0) --s.outstanding;
      if (s.outstanding == 0 && s.flush_wanted) schedule_flush(self);
    },
    [=](resync_atom) { resync(self); },
    [=](const orphan_batch& b) { sweep_orphans(self, b); },
    [=](sweep_end_atom, uint32_t sweeps) {
      for (uint32_t i = 0; i < sweeps; ++i) self->state.held.close();
    },
    [=](end_atom) {  // a shard with no readers at all
      for (const auto& s : self->state.cfg.sinks) self->send(s, end_atom::value);
    },
  };
}

}  // namespace rtfeat
