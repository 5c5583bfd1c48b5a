// Partition reader (see partition_reader.hpp). The handler polls without
// blocking and reschedules itself, so many readers share the scheduler threads.
#include "actors/partition_reader.hpp"

#include <chrono>
#include <cstdio>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "runtime/clock.hpp"

namespace rtfeat {

namespace {

using reader_actor = caf::stateful_actor<partition_reader_state>*;
// Batches a reader may have in shard mailboxes: bounds memory and keeps
// barriers and flushes close behind the newest event read (with poll_max,
// see reader_settings).
constexpr size_t max_in_flight = 4;
// Late drops are silent in the features: say so on stderr, at most this often
// per partition.
constexpr int64_t late_log_interval_ms = 10000;

void reject(reader_actor self, reject_reason reason, int64_t offset, std::string_view payload) {
  auto& st = self->state;
  st.cfg.metrics->rejected[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  self->send(st.cfg.dead_letters, dead_letter{reason, st.cfg.partition, offset, std::string(payload)});
}

/// One line for the late drops since the last one; `force` at the end of input.
void log_late(reader_actor self, int64_t now, bool force) {
  auto& st = self->state;
  if (st.late_unlogged == 0) return;
  if (!force && st.last_late_log_ms != 0 && now - st.last_late_log_ms < late_log_interval_ms) return;
  std::fprintf(stderr, "node: partition %d dropped %llu late events (watermark %lld ms, lateness %lld ms)\n",
               st.cfg.partition, static_cast<unsigned long long>(st.late_unlogged),
               static_cast<long long>(st.watermark->current()), static_cast<long long>(st.cfg.max_lateness_ms));
  st.late_unlogged = 0;
  st.last_late_log_ms = now;
}

void send_batch(reader_actor self, const caf::actor& shard, event_batch& b, uint32_t& sent) {
  if (!b.events.empty()) sent = static_cast<uint32_t>(b.events.size());
  b.watermark = self->state.watermark->current();
  b.sent_us = stage_clock_us();
  self->state.trace.batch_sent(b.sent_us, b.events.size(), self->state.cfg.metrics->stages);
  ++self->state.in_flight;
  self->send(shard, std::move(b));
  b = event_batch{};
  b.reader = self->state.cfg.index;
}

/// Sends pending events, and the new watermark to every shard when it moved.
void send_all(reader_actor self) {
  auto& st = self->state;
  bool moved = st.watermark->current() != st.last_sent_watermark;
  auto flush = [&](std::vector<event_batch>& batches, std::vector<uint32_t>& sent,
                   const shard_table& table) {
    for (size_t i = 0; i < batches.size(); ++i)
      if (moved || !batches[i].events.empty())
        send_batch(self, table.shards[i], batches[i], sent[i]);
  };
  flush(st.to_users, st.users_sent, st.cfg.routes->users);
  flush(st.to_categories, st.categories_sent, st.cfg.routes->categories);
  st.last_sent_watermark = st.watermark->current();
}

void push(reader_actor self, const shard_table& table, std::vector<event_batch>& batches,
          std::vector<uint32_t>& sent, size_t i, routed_event&& r) {
  auto& b = batches[i];
  if (b.events.empty()) b.events.reserve(sent[i]);
  b.events.push_back(std::move(r));
  if (b.events.size() >= self->state.cfg.batch_events)
    send_batch(self, table.shards[i], b, sent[i]);
}

/// Sends `e` once to its user shard and once to every category shard that owns
/// one of its scope keys (with the mask of those scopes).
void route(reader_actor self, event&& e, int64_t wm_at_read) {
  auto& st = self->state;
  const auto& plan = *st.cfg.plan;
  const auto& routes = *st.cfg.routes;
  auto bit = behavior_bit(e.kind);
  st.touched.clear();
  for (size_t s = 1; s < feature_scope_count; ++s) {
    auto scope = static_cast<feature_scope>(s);
    if ((plan.scope_behaviors[s] & bit) == 0 || !scope_key(scope, e, st.key)) continue;
    auto i = routes.categories.index_of(st.key);
    if (st.category_masks[i] == 0) st.touched.push_back(i);
    st.category_masks[i] |= scope_bit(scope);
  }
  bool to_user = (plan.scope_behaviors[0] & bit) != 0;
  for (size_t n = 0; n < st.touched.size(); ++n) {
    auto i = st.touched[n];
    bool last = n + 1 == st.touched.size() && !to_user;
    // Moved by the last push only, and nothing reads `e` after that one.
    push(self, routes.categories, st.to_categories, st.categories_sent, i,
         {last ? std::move(e) : e, wm_at_read, st.category_masks[i]});  // NOLINT(bugprone-use-after-move)
    st.category_masks[i] = 0;
  }
  if (to_user) {
    auto i = routes.users.index_of(e.user_id);
    push(self, routes.users, st.to_users, st.users_sent, i,
         {std::move(e), wm_at_read, scope_bit(feature_scope::user)});
  }
}

/// Parse, validate, late check, route: the per-message work of SPEC §4a.
void on_message(reader_actor self, int64_t offset, std::string_view payload, uint64_t& accepted,
                uint64_t& late) {
  auto& st = self->state;
  st.next_offset = offset + 1;
  event e;
  if (auto reason = st.parser->parse(payload, e)) return reject(self, *reason, offset, payload);
  if (st.watermark->is_late(e.ts, st.cfg.max_lateness_ms)) {
    ++late;
    return;
  }
  int64_t wm_at_read = st.watermark->current();
  if (!st.future_guard->admit(e.ts, wm_at_read)) return reject(self, reject_reason::future_ts, offset, payload);
  st.watermark->observe(e.ts);
  ++accepted;
  route(self, std::move(e), wm_at_read);
}

/// Drained or stopped: tells the shards. The reader stays to answer barriers
/// (with its final position) until the node shuts down.
void finish(reader_actor self) {
  auto& st = self->state;
  if (st.ended) return;
  st.ended = true;
  log_late(self, steady_ms(), true);
  send_all(self);
  reader_end end{st.cfg.index, st.watermark->current()};
  for (const auto& s : st.cfg.routes->users.shards) self->send(s, end);
  for (const auto& s : st.cfg.routes->categories.shards) self->send(s, end);
  if (st.cfg.coordinator) self->send(st.cfg.coordinator, end_atom::value, st.cfg.index);
}

/// Barrier n: everything read so far goes out first, then the barrier, in
/// order on every reader -> shard channel; the position goes to the coordinator.
void on_barrier(reader_actor self, uint64_t id) {
  auto& st = self->state;
  send_all(self);
  barrier_marker b{st.cfg.index, id};
  for (const auto& s : st.cfg.routes->users.shards) self->send(s, b);
  for (const auto& s : st.cfg.routes->categories.shards) self->send(s, b);
  self->send(st.cfg.coordinator, reader_position{id, st.cfg.partition, st.next_offset, st.watermark->current(),
                                                 st.future_guard->suspect()});
}

/// The wait before the next poll: short while data flows; a partition quiet for a
/// second waits longer, and one quiet for 10 s longer still, so an idle node does not
/// wake its workers hundreds of times a second (the first event after a lull waits
/// <= 20 ms more, after a long silence <= 50 ms).
int64_t poll_delay_ms(size_t polled, int64_t quiet_ms) {
  if (polled > 0) return 1;
  return quiet_ms < 1000 ? 5 : quiet_ms < 10000 ? 20 : 50;
}

void poll_once(reader_actor self) {
  auto& st = self->state;
  if (st.in_flight >= max_in_flight) {
    st.starved = true;  // on_credit() polls again
    return;
  }
  const size_t allowed = st.pace.allowance(steady_ms(), st.cfg.poll_max);
  if (allowed == 0) {
    self->delayed_send(self, std::chrono::milliseconds(st.pace.wait_ms(steady_ms())),
                       poll_atom::value);
    return;
  }
  uint64_t accepted = 0, late = 0;
  st.parser->set_now(wall_clock_ms());
  st.trace.poll_started();
  auto n = st.cfg.source->poll(allowed, [&](int64_t offset, std::string_view payload) {
    st.trace.message(st.cfg.source->message_timestamp_ms());
    on_message(self, offset, payload, accepted, late);
  });
  st.trace.poll_done(st.cfg.metrics->stages);
  st.pace.take(n);
  st.cfg.metrics->events_read.fetch_add(n, std::memory_order_relaxed);
  st.cfg.metrics->events_accepted.fetch_add(accepted, std::memory_order_relaxed);
  st.cfg.metrics->events_late.fetch_add(late, std::memory_order_relaxed);
  send_all(self);
  auto now = steady_ms();
  st.late_unlogged += late;
  log_late(self, now, false);
  if (st.cfg.drain && st.cfg.source->at_end()) return finish(self);
  if (n > 0) {
    st.last_data_ms = now;
    st.idle = false;
  } else if (!st.cfg.drain && !st.idle && now - st.last_data_ms > st.cfg.idle_timeout_ms) {
    st.idle = true;  // stop holding the shards' watermark back (SPEC §4)
    for (const auto& s : st.cfg.routes->users.shards) self->send(s, idle_atom::value, st.cfg.index);
    for (const auto& s : st.cfg.routes->categories.shards) self->send(s, idle_atom::value, st.cfg.index);
  }
  if (n == st.cfg.poll_max) self->send(self, poll_atom::value);
  else if (n == allowed)
    self->delayed_send(self, std::chrono::milliseconds(st.pace.wait_ms(now)), poll_atom::value);
  else self->delayed_send(self, std::chrono::milliseconds(poll_delay_ms(n, now - st.last_data_ms)), poll_atom::value);
}

}  // namespace

caf::behavior partition_reader(reader_actor self, reader_settings cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.parser = std::make_unique<event_parser>();
  st.watermark = std::make_unique<partition_watermark>(st.cfg.out_of_orderness_ms);
  st.watermark->restore(st.cfg.start_watermark);
  st.future_guard = std::make_unique<future_skew_guard>(st.cfg.max_future_skew_ms);
  st.future_guard->restore(st.cfg.start_future_suspect);
  st.next_offset = st.cfg.start_offset;
  st.pace = rate_limiter(st.cfg.max_rate);
  st.to_users.resize(st.cfg.routes->users.shards.size());
  st.to_categories.resize(st.cfg.routes->categories.shards.size());
  st.users_sent.assign(st.to_users.size(), 0);
  st.categories_sent.assign(st.to_categories.size(), 0);
  st.category_masks.assign(st.cfg.routes->categories.shards.size(), 0);
  for (auto& b : st.to_users) b.reader = st.cfg.index;
  for (auto& b : st.to_categories) b.reader = st.cfg.index;
  st.last_data_ms = steady_ms();
  self->send(self, poll_atom::value);
  return {
    [=](poll_atom) {
      if (!self->state.ended) poll_once(self);
    },
    [=](stop_atom) { finish(self); },
    [=](credit_atom) {
      auto& s = self->state;
      if (s.in_flight > 0) --s.in_flight;
      if (s.starved && s.in_flight < max_in_flight / 2) {
        s.starved = false;
        if (!s.ended) poll_once(self);
      }
    },
    [=](barrier_atom, uint64_t id) { on_barrier(self, id); },
  };
}

}  // namespace rtfeat
