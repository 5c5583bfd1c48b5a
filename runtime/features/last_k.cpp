// Last-k sequences and timelines (see last_k.hpp). The zset is written as a
// diff against the scores Redis holds (kept on each entry), so a flush costs
// the changes, not the whole set.
#include "runtime/features/last_k.hpp"

#include <algorithm>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void last_k::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (tail_ != no_watermark && e.ts < tail_) return;
  auto& value = scratch_;
  if (zset_ ? !render_from(f_.member, e, value) : !e.has_category) return;
  if (!zset_) value = std::to_string(e.category_id);
  auto [it, fresh] = users_.try_emplace(e.user_id);
  auto& u = it->second;
  if (fresh) {
    render_from(f_.key, e, u.key);
    // A crashed run may have left members: the first write of this run replaces
    // them. Later the key holds exactly what was written, and ZREMs empty it.
    u.replace = zset_ && written_this_run_.insert(e.user_id).second;
  }
  int64_t written_ts = not_written;
  if (zset_ && !keep_newest_member(u, e.ts, value, written_ts)) return;
  entry x{e.ts, seq, value, written_ts};
  auto pos = std::upper_bound(u.entries.begin(), u.entries.end(), x, [](const entry& a, const entry& b) {
    return a.ts < b.ts || (a.ts == b.ts && a.seq < b.seq);
  });
  u.entries.insert(pos, std::move(x));
  if (u.entries.size() > static_cast<size_t>(f_.def.k)) drop_weakest(u);
  int64_t bucket = f_.window.bucket_of(e.ts);
  if (u.indexed_bucket == no_watermark || bucket < u.indexed_bucket) {
    index_.add(bucket, e.user_id);
    u.indexed_bucket = bucket;
  }
  mark(e.user_id, u);
}

// A zset member's score is its newest ts, and entries leave oldest first: an
// older entry of the same member can never matter again.
bool last_k::keep_newest_member(user_state& u, int64_t ts, const std::string& member, int64_t& written_ts) {
  auto old = std::find_if(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.value == member; });
  if (old == u.entries.end()) return true;
  if (old->ts >= ts) return false;
  written_ts = old->written_ts;  // Redis still holds the old score
  u.entries.erase(old);
  return true;
}

// Only the k best entries can ever be written: one ranked below k others is
// outranked until those leave the window, and they leave no earlier than it.
// List: the oldest goes. Zset: the lowest score, ties the largest member.
void last_k::drop_weakest(user_state& u) {
  auto weakest = u.entries.begin();
  if (zset_)
    for (auto it = u.entries.begin(); it != u.entries.end() && it->ts == u.entries.front().ts; ++it)
      if (it->value > weakest->value) weakest = it;
  forget(u, *weakest);
  u.entries.erase(weakest);
}

void last_k::forget(user_state& u, entry& x) {
  if (zset_ && x.written_ts != not_written) u.removed.push_back(std::move(x.value));
}

void last_k::reindex(const std::string& user, user_state& u) {
  if (u.entries.empty()) return;
  u.indexed_bucket = f_.window.bucket_of(u.entries.front().ts);
  index_.add(u.indexed_bucket, user);
}

// Every change of a user's entries marks it: for the next flush and the next snapshot.
void last_k::mark(const std::string& user, user_state& u) {
  u.snap.invalidate();
  if (!u.dirty) u.dirty = true, dirty_.push_back(user);
}

void last_k::advance(int64_t watermark) {
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  index_.pop_before(tail, [&](int64_t bucket, const std::string& user) {
    auto it = users_.find(user);
    if (it == users_.end() || it->second.indexed_bucket != bucket) return;  // a stale index entry
    auto& u = it->second;
    u.indexed_bucket = no_watermark;
    auto kept = std::find_if(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.ts >= tail; });
    if (kept != u.entries.begin()) {
      for (auto x = u.entries.begin(); x != kept; ++x) forget(u, *x);
      u.entries.erase(u.entries.begin(), kept);
      mark(user, u);
    }
    reindex(user, u);  // entries left are >= tail: indexed after `bucket`, not visited again now
  });
}

void last_k::write_list(user_state& u, std::vector<key_update>& out) const {
  key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::list, {}, false, {}};
  upd.values.reserve(u.entries.size());
  for (auto it = u.entries.rbegin(); it != u.entries.rend(); ++it) upd.values.push_back(it->value);
  out.push_back(std::move(upd));
}

// Entries are the k best, one per member: exactly the set Redis must hold.
void last_k::write_zset(user_state& u, std::vector<key_update>& out) const {
  key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::zset, {}, u.replace, {}};
  for (auto& x : u.entries) {
    if (u.replace || x.written_ts != x.ts) upd.set.emplace_back(x.value, std::to_string(x.ts));
    x.written_ts = x.ts;
  }
  if (!u.replace)
    for (auto& m : u.removed) {
      bool back = std::any_of(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.value == m; });
      if (!back) upd.del.push_back(std::move(m));
    }
  u.removed.clear();
  u.replace = false;
  if (!upd.set.empty() || !upd.del.empty() || upd.replace) out.push_back(std::move(upd));
}

void last_k::save(const writer_for& out) const {
  for (const auto& kv : users_) {
    const auto& user = kv.first;  // not a structured binding: clang 14 cannot capture one
    const auto& u = kv.second;
    u.snap.write_to(out(user), [&](state_writer& w) {
      w.str(user).str(u.key).u64(u.entries.size());
      for (const auto& x : u.entries) w.i64(x.ts).u64(x.seq).str(x.value);
    });
  }
}

bool last_k::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto user = in.str();
    auto& u = users_[user];
    u.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) u.entries.push_back(entry{in.ts(), in.u64(), in.str()});
    std::sort(u.entries.begin(), u.entries.end(), [](const entry& a, const entry& b) {
      return a.ts < b.ts || (a.ts == b.ts && a.seq < b.seq);
    });
    if (u.indexed_bucket == no_watermark) reindex(user, u);
  }
  return in.ok();
}

void last_k::rewrite_all() {
  dirty_.reserve(dirty_.size() + users_.size());  // one growth, not ~20 copies of millions of keys
  for (auto& [user, u] : users_) {
    for (auto& x : u.entries) x.written_ts = not_written;
    u.removed.clear();
    u.replace = true;
    mark(user, u);
  }
}

void last_k::flush(std::vector<key_update>& out) {
  for (const auto& user : dirty_) {
    auto it = users_.find(user);
    if (it == users_.end() || !it->second.dirty) continue;
    it->second.dirty = false;
    if (zset_) write_zset(it->second, out);
    else write_list(it->second, out);
    if (it->second.entries.empty()) users_.erase(it);
  }
  dirty_.clear();
}

}  // namespace rtfeat
