// Distinct users into HyperLogLogs (see distinct_users.hpp).
#include "runtime/features/distinct_users.hpp"

#include <algorithm>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void distinct_users::reindex(entity_id id, entity_state& st) {
  st.indexed_bucket = no_watermark;
  for (const auto& [user, bucket] : st.newest)
    if (st.indexed_bucket == no_watermark || bucket < st.indexed_bucket) st.indexed_bucket = bucket;
  if (st.indexed_bucket != no_watermark) index_.add(st.indexed_bucket, id);
}

void distinct_users::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t) {
  if (id == no_entity || (f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (sliding_ && tail_ != no_watermark && e.ts < tail_) return;
  auto [r, fresh] = entities_.try_emplace(id);
  auto& st = r->state;
  if (fresh && !render_from(f_.key, e, st.key)) return entities_.erase(id);
  if (sliding_) {
    int64_t bucket = f_.window.bucket_of(e.ts);
    auto [m, first] = st.newest.try_emplace(e.user_id, bucket);
    if (!first) {
      // Already in the set: stays longer, nothing to write to Redis, but a newer bucket to save.
      if (bucket > m->second) m->second = bucket, entities_.changed(*r);
      return;
    }
    if (st.indexed_bucket == no_watermark || bucket < st.indexed_bucket) {
      index_.add(bucket, id);
      st.indexed_bucket = bucket;
    }
  } else if (!st.registers.add(e.user_id)) {
    return;  // no register grows: Redis would not change either
  }
  st.added.push_back(e.user_id);
  entities_.mark(*r);
}

void distinct_users::evict(table::row& r) {
  auto& st = r.state;
  auto n = st.newest.size();
  int64_t oldest = no_watermark;  // of the members that stay: found in the same pass, not a second scan
  erase_if(st.newest, [&](const auto& m) {
    if (m.second < tail_) return true;
    if (oldest == no_watermark || m.second < oldest) oldest = m.second;
    return false;
  });
  if (st.newest.size() != n) {
    st.evicted = true;
    entities_.mark(r);
  }
  st.indexed_bucket = oldest;
  if (oldest != no_watermark) index_.add(oldest, r.id);
}

void distinct_users::advance(int64_t watermark) {
  if (!sliding_) return;
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  // Entities are re-indexed at buckets >= tail: after the popped range.
  index_.pop_before(tail, [&](int64_t bucket, entity_id id) {
    auto* r = entities_.find(id);
    if (r != nullptr && r->state.indexed_bucket == bucket) evict(*r);
  });
}

// Snapshot format: per entity, buckets with their members (a member once, under
// its newest bucket; load() also takes a member listed in several buckets).
// Unbounded entities have one pseudo-bucket, registers_bucket, whose only
// "member" is the encoded hll_sketch (older snapshots have none: no registers).
constexpr int64_t registers_bucket = no_watermark;

void distinct_users::save(snapshot_sink& out) {
  bool sliding = sliding_;
  auto& members = save_order_;
  entities_.save(out, [sliding, &members](state_writer& w, const std::string& id, const entity_state& st) {
    if (!sliding) {
      w.str(id).str(st.key).u64(1).i64(registers_bucket).u64(1).str(st.registers.encode());
      return;
    }
    // Sorted by bucket, then member: the same set gives the same bytes, whatever the
    // hash map's order. One reused vector: a hot item's set is saved at every checkpoint.
    members.clear();
    for (const auto& [user, bucket] : st.newest) members.emplace_back(bucket, &user);
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : *a.second < *b.second;
    });
    size_t buckets = 0;
    for (size_t i = 0; i < members.size(); ++i) buckets += i == 0 || members[i].first != members[i - 1].first;
    w.str(id).str(st.key).u64(buckets);
    for (size_t i = 0; i < members.size();) {
      size_t end = i;
      while (end < members.size() && members[end].first == members[i].first) ++end;
      w.i64(members[i].first).u64(end - i);
      for (; i < end; ++i) w.str(*members[i].second);
    }
  });
}

bool distinct_users::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto id = ids().intern(in.str_view());
    auto& st = entities_.try_emplace(id).first->state;
    st.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto start = in.i64();
      if (start == registers_bucket) {
        auto m = in.u64();
        if (m != 1 || !st.registers.decode(in.str())) return false;
        continue;
      }
      for (auto m = in.u64(); in.ok() && m > 0; --m) {
        auto [it, first] = st.newest.try_emplace(in.str(), start);
        if (!first) it->second = std::max(it->second, start);
      }
    }
    reindex(id, st);
  }
  return in.ok();
}

void distinct_users::rewrite_all() {
  // Sliding sets are rewritten whole from their members, unbounded ones from
  // their registers: Redis may have lost them (a restart without persistence).
  entities_.rewrite_all([](entity_state& st) { st.evicted = true; });
}

void distinct_users::flush(std::vector<key_update>& out) {
  entities_.flush([&](table::row& r) {
    auto& st = r.state;
    key_update upd{.key = st.key, .ttl_s = f_.key_ttl_s, .type = redis_type::hyperloglog, .replace = st.evicted && sliding_};
    if (st.evicted && !sliding_) {
      if (!st.registers.empty()) upd.registers = st.registers.redis_dense();
    } else if (st.evicted) {
      upd.values.reserve(st.newest.size());
      for (const auto& [user, bucket] : st.newest) upd.values.push_back(user);
    } else {
      std::sort(st.added.begin(), st.added.end());
      st.added.erase(std::unique(st.added.begin(), st.added.end()), st.added.end());
      upd.values = std::move(st.added);
    }
    out.push_back(std::move(upd));
    st.added.clear();
    st.evicted = false;
    return !(sliding_ && st.newest.empty());
  });
}

}  // namespace rtfeat
