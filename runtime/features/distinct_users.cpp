// Distinct users into HyperLogLogs (see distinct_users.hpp).
#include "runtime/features/distinct_users.hpp"

#include <algorithm>
#include <map>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

// The list of `bucket`; a new bucket is usually the newest.
std::vector<entity_id>& distinct_users::members_of(entity_state& st, int64_t bucket) {
  auto b = st.buckets.end();
  if (b == st.buckets.begin() || (b - 1)->start != bucket)
    b = std::lower_bound(st.buckets.begin(), st.buckets.end(), bucket,
                         [](const bucket_members& x, int64_t s) { return x.start < s; });
  else
    --b;
  if (b == st.buckets.end() || b->start != bucket) b = st.buckets.insert(b, bucket_members{bucket, {}});
  return b->members;
}

// The index holds each entity once, under its oldest bucket (older entries of it are stale).
void distinct_users::index(entity_id id, entity_state& st, int64_t bucket) {
  if (st.indexed_bucket != no_watermark && bucket >= st.indexed_bucket) return;
  index_.add(bucket, id);
  st.indexed_bucket = bucket;
}

void distinct_users::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t) {
  if (id == no_entity || (f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (sliding_ && tail_ != no_watermark && e.ts < tail_) return;
  auto [r, fresh] = entities_.try_emplace(id);
  auto& st = r->state;
  if (fresh && !render_from(f_.key, e, st.key)) return entities_.erase(id);
  if (!sliding_ && !st.registers.add(e.user_id)) return;  // no register grows: Redis would not change either
  auto member = members_->intern(e.user_id);
  if (sliding_) {
    int64_t bucket = f_.window.bucket_of(e.ts);
    auto [m, first] = st.newest.try_emplace(member, bucket);
    if (!first) {
      // Already in the set: stays longer, nothing to write to Redis, but a newer bucket to save.
      if (bucket > m->second) {
        m->second = bucket;
        members_of(st, bucket).push_back(member);
        entities_.changed(*r);
      }
      return;
    }
    members_->acquire(member);  // newest's reference
    members_of(st, bucket).push_back(member);
    index(id, st, bucket);
  }
  members_->acquire(member);  // added's reference
  st.added.push_back(member);
  entities_.mark(*r);
}

// Pops the buckets before the tail: a member leaves with the bucket it was last seen in.
void distinct_users::evict(table::row& r) {
  auto& st = r.state;
  auto kept = st.buckets.begin();
  for (; kept != st.buckets.end() && kept->start < tail_; ++kept) {
    for (auto member : kept->members) {
      auto m = st.newest.find(member);
      if (m == st.newest.end() || m->second != kept->start) continue;  // seen again later: a stale entry
      st.newest.erase(m);
      members_->release(member);
      st.evicted = true;
    }
  }
  st.buckets.erase(st.buckets.begin(), kept);
  if (st.evicted) entities_.mark(r);
  st.indexed_bucket = no_watermark;
  if (!st.buckets.empty()) index(r.id, st, st.buckets.front().start);
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

void distinct_users::save(const writer_for& out) const {
  entities_.save(out, [&](state_writer& w, const std::string& id, const entity_state& st) {
    if (!sliding_) {
      w.str(id).str(st.key).u64(1).i64(registers_bucket).u64(1).str(st.registers.encode());
      return;
    }
    std::map<int64_t, std::vector<const std::string*>> buckets;
    for (const auto& [member, bucket] : st.newest) buckets[bucket].push_back(&members_->key(member));
    w.str(id).str(st.key).u64(buckets.size());
    for (auto& [start, users] : buckets) {
      // Sorted: the same set gives the same bytes, whatever the hash map's order.
      std::sort(users.begin(), users.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
      w.i64(start).u64(users.size());
      for (const auto* u : users) w.str(*u);
    }
  });
}

bool distinct_users::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto id = ids().intern(in.str());
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
        auto user = in.str_view();
        if (!in.ok()) break;
        auto member = members_->intern(user);
        auto [it, first] = st.newest.try_emplace(member, start);
        if (first) members_->acquire(member);
        else it->second = std::max(it->second, start);
      }
    }
    st.buckets.clear();  // rebuilt from the members' newest buckets
    for (const auto& [member, bucket] : st.newest) members_of(st, bucket).push_back(member);
    if (!st.buckets.empty()) index(id, st, st.buckets.front().start);
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
    key_update upd{st.key, {}, {}, f_.key_ttl_s, redis_type::hyperloglog, {}, st.evicted && sliding_, {}};
    if (st.evicted && !sliding_) {
      if (!st.registers.empty()) upd.registers = st.registers.redis_dense();
    } else if (st.evicted) {
      upd.values.reserve(st.newest.size());
      for (const auto& [member, bucket] : st.newest) upd.values.push_back(members_->key(member));
    } else {
      upd.values.reserve(st.added.size());
      for (auto member : st.added) upd.values.push_back(members_->key(member));
      std::sort(upd.values.begin(), upd.values.end());
      upd.values.erase(std::unique(upd.values.begin(), upd.values.end()), upd.values.end());
    }
    out.push_back(std::move(upd));
    for (auto member : st.added) members_->release(member);
    st.added.clear();
    st.evicted = false;
    return !(sliding_ && st.newest.empty());
  });
}

}  // namespace rtfeat
