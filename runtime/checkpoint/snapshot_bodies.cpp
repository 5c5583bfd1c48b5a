// Snapshot bodies kept between checkpoints (see snapshot_bodies.hpp). An entity
// has one slot per key group, shared by every state it is in (a user is in most
// of them): a slot is a map entry and one span per state, instead of a map
// entry per state. Dropped encodings stay in their segment until its next body.
#include "runtime/checkpoint/snapshot_bodies.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace rtfeat {

namespace {

[[noreturn]] void fail(const char* what) {  // a broken invariant: a bug, not an error to handle
  std::fprintf(stderr, "rtfeat: bug: snapshot bodies: %s\n", what);
  std::abort();
}

// The map's heterogeneous lookup takes absl's string_view (not std's in this absl build).
absl::string_view as_absl(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

void snapshot_bodies::apply(const shard_changes& changes, bool full) {
  for (auto kg : changes.key_groups) {
    auto& g = groups_[kg];
    if (full || g.segments.size() != changes.states.size()) {
      g = group{};
      for (const auto& s : changes.states) g.names.push_back(s.name);
      g.segments.resize(changes.states.size());
    }
    if (g.watermark != changes.watermark || g.seq != changes.seq) g.changed = true;
    g.watermark = changes.watermark, g.seq = changes.seq;
  }
  // Key group by key group: one group's slot map stays in the caches while its
  // changes apply (taken in save order, a million entities missed it each time).
  auto sorted = by_key_group(changes);
  for (size_t p = 0; p < changes.key_groups.size(); ++p) {
    auto& g = groups_[changes.key_groups[p]];
    for (size_t i = 0; i < changes.states.size(); ++i) {
      const auto& s = changes.states[i];
      const auto& in = sorted[i];
      if (in.starts[p] == in.starts[p + 1]) continue;
      g.changed = true;
      auto& bytes = g.segments[i].bytes;
      if (bytes.capacity() < bytes.size() + in.bytes[p]) bytes.reserve(std::max(bytes.size() + in.bytes[p], bytes.size() * 3 / 2));
      for (auto k = in.starts[p]; k < in.starts[p + 1]; ++k) {
        const auto& e = s.entities[in.order[k]];
        if (e.size == 0) erase(g, i, s.identity(e));
        else put(g, i, s.identity(e), s.encoding(e));
      }
    }
  }
}

// A stable counting sort: a state's changes of one entity keep their order.
std::vector<snapshot_bodies::sorted_changes> snapshot_bodies::by_key_group(const shard_changes& changes) {
  uint32_t last = 0;
  for (auto kg : changes.key_groups) last = std::max(last, kg);
  std::vector<uint32_t> position(last + 1, UINT32_MAX);
  for (size_t p = 0; p < changes.key_groups.size(); ++p) position[changes.key_groups[p]] = static_cast<uint32_t>(p);
  std::vector<sorted_changes> out(changes.states.size());
  for (size_t i = 0; i < changes.states.size(); ++i) {
    const auto& entities = changes.states[i].entities;
    auto& s = out[i];
    s.starts.assign(changes.key_groups.size() + 1, 0);
    s.bytes.assign(changes.key_groups.size(), 0);
    for (const auto& e : entities) {
      if (e.key_group > last || position[e.key_group] == UINT32_MAX) fail("a change outside the shard's key groups");
      ++s.starts[position[e.key_group] + 1];
      s.bytes[position[e.key_group]] += e.size;
    }
    for (size_t p = 1; p < s.starts.size(); ++p) s.starts[p] += s.starts[p - 1];
    auto next = s.starts;
    s.order.resize(entities.size());
    for (size_t k = 0; k < entities.size(); ++k) s.order[next[position[entities[k].key_group]]++] = static_cast<uint32_t>(k);
  }
  return out;
}

void snapshot_bodies::put(group& g, size_t state, std::string_view identity, std::string_view encoding) {
  auto it = g.slots.find(as_absl(identity));
  if (it == g.slots.end()) {
    uint32_t fresh = static_cast<uint32_t>(g.slots.size());  // no free slot: every slot is in use
    if (!g.free_slots.empty()) fresh = g.free_slots.back(), g.free_slots.pop_back();
    it = g.slots.emplace(std::string(identity), fresh).first;
  }
  auto slot = it->second;
  auto& seg = g.segments[state];
  if (seg.spans.size() <= slot) seg.spans.resize(slot + 1);
  auto& sp = seg.spans[slot];
  seg.dead += sp.size;
  if (sp.size == 0) ++seg.live;
  // A section is a str32 (state_writer::begin_nested): a body's segment stays below 4 GiB.
  if (seg.bytes.size() + encoding.size() > UINT32_MAX) fail("a key group's state passed 4 GiB");
  sp = {static_cast<uint32_t>(seg.bytes.size()), static_cast<uint32_t>(encoding.size())};
  seg.bytes.append(encoding);
}

void snapshot_bodies::erase(group& g, size_t state, std::string_view identity) {
  auto it = g.slots.find(as_absl(identity));
  if (it == g.slots.end()) return;  // never put: created and erased between two checkpoints
  auto slot = it->second;
  auto& seg = g.segments[state];
  if (seg.spans.size() <= slot) return;
  if (seg.spans[slot].size > 0) --seg.live;
  seg.dead += seg.spans[slot].size;
  seg.spans[slot] = {};
  for (const auto& other : g.segments)
    if (other.spans.size() > slot && other.spans[slot].size > 0) return;
  g.slots.erase(it);  // in no state any more: the slot is free
  g.free_slots.push_back(slot);
}

bool snapshot_bodies::changed(uint32_t key_group) const {
  auto it = groups_.find(key_group);
  return it == groups_.end() || it->second.changed;
}

// Copies the live encodings in slot order. After a compaction they lie in slot
// order too, so an unchanged entity continues the run of the one before it: a
// segment with few changes is copied in a few long runs.
void snapshot_bodies::compact(segment& s) {
  std::string out;
  out.reserve(s.bytes.size() - s.dead);
  size_t run_start = 0, run_end = 0;  // in s.bytes: bytes to copy next
  for (auto& sp : s.spans) {
    if (sp.size == 0) continue;
    if (sp.offset != run_end) {
      out.append(s.bytes, run_start, run_end - run_start);
      run_start = run_end = sp.offset;
    }
    sp.offset = static_cast<uint32_t>(out.size() + (run_end - run_start));
    run_end += sp.size;
  }
  out.append(s.bytes, run_start, run_end - run_start);
  s.bytes = std::move(out);
  s.dead = 0;
}

std::string snapshot_bodies::body(uint32_t key_group) {
  auto& g = groups_[key_group];
  size_t size = 64;
  for (size_t i = 0; i < g.segments.size(); ++i) size += g.names[i].size() + 10 + g.segments[i].bytes.size();
  state_writer w;
  w.reserve(size);
  write_body_header(w, g.watermark, g.seq, g.segments.size());
  for (size_t i = 0; i < g.segments.size(); ++i) {
    auto& seg = g.segments[i];
    if (seg.dead > 0) compact(seg);
    write_section_head(w, g.names[i], seg.live);
    auto mark = w.begin_nested();
    w.raw(seg.bytes);
    w.end_nested(mark);
  }
  return w.take();
}

void snapshot_bodies::stored(uint32_t key_group) {
  if (auto it = groups_.find(key_group); it != groups_.end()) it->second.changed = false;
}

size_t snapshot_bodies::bytes() const {
  size_t n = 0;
  for (const auto& [kg, g] : groups_)
    for (const auto& s : g.segments) n += s.bytes.size() - s.dead;
  return n;
}

}  // namespace rtfeat
