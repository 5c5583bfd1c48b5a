// Snapshot bodies kept between checkpoints (see snapshot_bodies.hpp). An entity
// has one slot per key group, shared by every state it is in (a user is in most
// of them): a slot is a map entry and one span per state, instead of a map
// entry per state. Dropped encodings stay in their segment until its next body.
#include "runtime/checkpoint/snapshot_bodies.hpp"

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
  for (size_t i = 0; i < changes.states.size(); ++i) {
    const auto& s = changes.states[i];
    for (const auto& e : s.entities) {
      auto it = groups_.find(e.key_group);
      if (it == groups_.end() || it->second.segments.size() <= i) fail("a change outside the shard's key groups");
      it->second.changed = true;
      if (e.size == 0) erase(it->second, i, s.identity(e));
      else put(it->second, i, s.identity(e), s.encoding(e));
    }
  }
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
    w.str(g.names[i]);
    auto mark = w.begin_nested();
    w.raw(seg.bytes);
    w.end_nested(mark);
  }
  g.changed = false;
  return w.take();
}

size_t snapshot_bodies::bytes() const {
  size_t n = 0;
  for (const auto& [kg, g] : groups_)
    for (const auto& s : g.segments) n += s.bytes.size() - s.dead;
  return n;
}

}  // namespace rtfeat
