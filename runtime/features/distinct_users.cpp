// Distinct users into HyperLogLogs (see distinct_users.hpp).
#include "runtime/features/distinct_users.hpp"

#include <algorithm>
#include <set>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void distinct_users::mark(const std::string& id, entity_state& st) {
  if (!st.dirty) st.dirty = true, dirty_.push_back(id);
}

void distinct_users::add(const event& e, int64_t wm_at_read, uint64_t) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (sliding_ && tail_ != no_watermark && e.ts < tail_) return;
  std::string id;
  if (!scope_key(f_.scope, e, id)) return;
  auto [it, fresh] = entities_.try_emplace(id);
  auto& st = it->second;
  if (fresh && !render_from(f_.key, e, st.key)) {
    entities_.erase(it);
    return;
  }
  if (sliding_) {
    int64_t start = f_.window.bucket_of(e.ts);
    auto b = std::lower_bound(st.buckets.begin(), st.buckets.end(), start,
                              [](const auto& x, int64_t s) { return x.first < s; });
    if (b == st.buckets.end() || b->first != start) {
      b = st.buckets.insert(b, {start, {}});
      index_.add(start, id);
    }
    if (!b->second.insert(e.user_id).second) return;
  }
  st.added.insert(e.user_id);
  mark(id, st);
}

void distinct_users::advance(int64_t watermark) {
  if (!sliding_) return;
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  index_.pop_before(tail, [&](int64_t, const std::string& id) {
    auto it = entities_.find(id);
    if (it == entities_.end()) return;
    auto n = it->second.buckets.size();
    std::erase_if(it->second.buckets, [&](const auto& b) { return b.first < tail; });
    if (it->second.buckets.size() == n) return;
    it->second.evicted = true;
    mark(id, it->second);
  });
}

void distinct_users::save(const writer_for& out) const {
  for (const auto& [id, st] : entities_) {
    auto& w = out(id);
    w.str(id).str(st.key).u64(st.buckets.size());
    for (const auto& [start, users] : st.buckets) {
      w.i64(start).u64(users.size());
      for (const auto& u : users) w.str(u);
    }
  }
}

bool distinct_users::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto id = in.str();
    auto& st = entities_[id];
    st.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto& [start, users] = st.buckets.emplace_back(in.i64(), std::unordered_set<std::string>{});
      for (auto m = in.u64(); in.ok() && m > 0; --m) users.insert(in.str());
      index_.add(start, id);
    }
  }
  return in.ok();
}

void distinct_users::rewrite_all() {
  // Unbounded sets are in Redis up to the checkpoint (sinks flush at barriers)
  // and PFADD is idempotent; sliding sets are rewritten whole.
  if (!sliding_) return;
  for (auto& [id, st] : entities_) {
    st.evicted = true;
    mark(id, st);
  }
}

void distinct_users::flush(std::vector<key_update>& out) {
  for (const auto& id : dirty_) {
    auto it = entities_.find(id);
    if (it == entities_.end()) continue;
    auto& st = it->second;
    key_update upd{st.key, {}, {}, f_.key_ttl_s, redis_type::hyperloglog, {}, st.evicted};
    std::set<std::string> members;  // sorted: the same PFADD for the same set
    if (st.evicted)
      for (const auto& [start, users] : st.buckets) members.insert(users.begin(), users.end());
    else
      members.insert(st.added.begin(), st.added.end());
    upd.values.assign(members.begin(), members.end());
    out.push_back(std::move(upd));
    st.added.clear();
    st.evicted = st.dirty = false;
    if (sliding_ && st.buckets.empty()) entities_.erase(it);
  }
  dirty_.clear();
}

}  // namespace rtfeat
