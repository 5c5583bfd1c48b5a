// Keyed shard (see keyed_shard.hpp). Handlers stay short: the state work is in
// runtime/features; this file only moves messages and time.
#include "actors/keyed_shard.hpp"

#include <chrono>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {

using shard_actor = caf::stateful_actor<keyed_shard_state>*;

void advance(shard_actor self) {
  auto& st = self->state;
  auto w = st.merge->current();
  if (w == st.watermark) return;
  st.watermark = w;
  for (auto& f : st.features) f->advance(w);
}

void flush(shard_actor self) {
  auto& st = self->state;
  std::vector<key_update> updates;
  for (auto& f : st.features) f->flush(updates);
  if (updates.empty()) return;
  st.cfg.metrics->key_updates.fetch_add(updates.size(), std::memory_order_relaxed);
  std::vector<update_batch> per_sink(st.cfg.sinks.size());
  for (auto& u : updates) per_sink[sink_of(u.key, per_sink.size())].updates.push_back(std::move(u));
  for (size_t i = 0; i < per_sink.size(); ++i)
    if (!per_sink[i].updates.empty()) self->send(st.cfg.sinks[i], std::move(per_sink[i]));
}

void add_event(shard_actor self, const routed_event& e) {
  auto& st = self->state;
  auto seq = st.seq++;
  bool user = st.cfg.kind == shard_kind::user;
  for (size_t i = 0; i < st.features.size(); ++i)
    if (user || (e.scopes & scope_bit(st.scopes[i])) != 0) st.features[i]->add(e.ev, e.wm_at_read, seq);
}

void schedule_flush(shard_actor self) {
  if (self->state.flush_scheduled) return;
  self->state.flush_scheduled = true;
  self->delayed_send(self, std::chrono::milliseconds(self->state.cfg.flush_interval_ms),
                     flush_atom::value);
}

void on_reader_end(shard_actor self, const reader_end& end) {
  auto& st = self->state;
  if (end.watermark == no_watermark) st.merge->exclude(end.reader);
  else st.merge->update(end.reader, end.watermark);
  if (++st.ended < st.cfg.readers) return advance(self);
  // Every reader is done: the final watermark of SPEC §4a, one last flush.
  advance(self);
  flush(self);
  int64_t w = st.watermark;
  auto& shown = st.cfg.metrics->watermark;
  for (auto cur = shown.load(); (cur == no_watermark || w < cur) && !shown.compare_exchange_weak(cur, w);) {}
  for (const auto& s : st.cfg.sinks) self->send(s, end_atom::value);
  self->quit();
}

}  // namespace

size_t sink_of(std::string_view redis_key, size_t sinks) {
  return sinks <= 1 ? 0 : murmur2(redis_key) % sinks;
}

caf::behavior keyed_shard(shard_actor self, shard_settings cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.features = make_feature_states(*st.cfg.plan, st.cfg.kind == shard_kind::user, st.scopes);
  st.merge = std::make_unique<watermark_merge>(st.cfg.readers);
  if (st.cfg.readers == 0) self->send(self, end_atom::value);
  return {
    [=](event_batch& b) {
      auto& s = self->state;
      for (const auto& e : b.events) add_event(self, e);
      s.merge->exclude(b.reader, false);
      s.merge->update(b.reader, b.watermark);
      advance(self);
      schedule_flush(self);
    },
    [=](idle_atom, uint32_t reader) {
      self->state.merge->exclude(reader);
      advance(self);
      schedule_flush(self);
    },
    [=](const reader_end& end) { on_reader_end(self, end); },
    [=](flush_atom) {
      self->state.flush_scheduled = false;
      flush(self);
    },
    [=](end_atom) {  // a shard with no readers at all
      for (const auto& s : self->state.cfg.sinks) self->send(s, end_atom::value);
      self->quit();
    },
  };
}

}  // namespace rtfeat
