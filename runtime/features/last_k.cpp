// Last-k sequences and timelines (see last_k.hpp). The zset is written as a
// diff against the scores Redis holds (kept on each entry), so a flush costs
// the changes, not the whole set.
#include "runtime/features/last_k.hpp"

#include <algorithm>
#include <charconv>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

namespace {

// Entry order: (ts, seq) ascending.
constexpr auto before = [](const auto& a, const auto& b) { return a.ts < b.ts || (a.ts == b.ts && a.seq < b.seq); };

}  // namespace

bool last_k::value_of(const event& e, std::string& out) const {
  if (zset_) return render_from(f_.member, e, out);
  if (!e.has_category) return false;
  char digits[24];
  auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
  out.assign(digits, r.ptr);
  return true;
}

void last_k::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) {
  if (id == no_entity || (f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (tail_ != no_watermark && e.ts < tail_) return;
  if (!value_of(e, scratch_)) return;
  auto [r, fresh] = users_.try_emplace(id);
  auto& u = r->state;
  if (fresh) {
    render_from(f_.key, e, u.key);
    // A crashed run may have left members: the first write of this run replaces
    // them. Later the key holds exactly what was written, and ZREMs empty it.
    u.replace = zset_ && written_this_run_.insert(e.user_id).second;
  }
  entry x{e.ts, seq, not_written, values_.intern(scratch_)};
  if (zset_ && !keep_newest_member(u, x)) return;  // never for a fresh user: it has no entries
  if (!zset_) values_.acquire(x.value);
  insert(u, x);
  if (u.entries.size() > static_cast<size_t>(f_.def.k)) drop_weakest(u);
  int64_t bucket = f_.window.bucket_of(e.ts);
  if (u.indexed_bucket == no_watermark || bucket < u.indexed_bucket) {
    index_.add(bucket, id);
    u.indexed_bucket = bucket;
  }
  users_.mark(*r);
}

// A zset member's score is its newest ts, and entries leave oldest first: an
// older entry of the same member can never matter again. On true `x` holds a
// reference on its member (the old entry's, or a new one).
bool last_k::keep_newest_member(user_state& u, entry& x) {
  auto old = std::find_if(u.entries.begin(), u.entries.end(), [&](const entry& y) { return y.value == x.value; });
  if (old == u.entries.end()) {
    values_.acquire(x.value);
    return true;
  }
  if (old->ts >= x.ts) return false;  // the member is held by `old`: nothing to give back
  x.written_ts = old->written_ts;     // Redis still holds the old score
  u.entries.erase(old);
  return true;
}

void last_k::insert(user_state& u, const entry& x) {
  // Events come mostly in order: the new entry usually goes last.
  auto pos = u.entries.end();
  if (!u.entries.empty() && before(x, *(u.entries.end() - 1)))
    pos = std::upper_bound(u.entries.begin(), u.entries.end(), x, before);
  u.entries.insert(pos, x);
}

// Only the k best entries can ever be written: one ranked below k others is
// outranked until those leave the window, and they leave no earlier than it.
// List: the oldest goes. Zset: the lowest score, ties the largest member.
void last_k::drop_weakest(user_state& u) {
  auto weakest = u.entries.begin();
  if (zset_)
    for (auto it = u.entries.begin(); it != u.entries.end() && it->ts == u.entries.front().ts; ++it)
      if (values_.key(it->value) > values_.key(weakest->value)) weakest = it;
  forget(u, *weakest);
  u.entries.erase(weakest);
}

// `x` leaves the entries: its reference goes to `removed` when Redis holds its member.
void last_k::forget(user_state& u, const entry& x) {
  if (zset_ && x.written_ts != not_written) u.removed.push_back(x.value);
  else values_.release(x.value);
}

void last_k::reindex(entity_id id, user_state& u) {
  if (u.entries.empty()) return;
  u.indexed_bucket = f_.window.bucket_of(u.entries.front().ts);
  index_.add(u.indexed_bucket, id);
}

void last_k::advance(int64_t watermark) {
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  index_.pop_before(tail, [&](int64_t bucket, entity_id id) {
    auto* r = users_.find(id);
    if (r == nullptr || r->state.indexed_bucket != bucket) return;  // a stale index entry
    auto& u = r->state;
    u.indexed_bucket = no_watermark;
    auto kept = std::find_if(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.ts >= tail; });
    if (kept != u.entries.begin()) {
      for (auto x = u.entries.begin(); x != kept; ++x) forget(u, *x);
      u.entries.erase(u.entries.begin(), kept);
      users_.mark(*r);
    }
    reindex(id, u);  // entries left are >= tail: indexed after `bucket`, not visited again now
  });
}

void last_k::write_list(const user_state& u, std::vector<key_update>& out) const {
  key_update upd{.key = u.key, .ttl_s = f_.key_ttl_s, .type = redis_type::list};
  upd.values.reserve(u.entries.size());
  for (auto it = u.entries.rbegin(); it != u.entries.rend(); ++it) upd.values.push_back(values_.key(it->value));
  out.push_back(std::move(upd));
}

// Entries are the k best, one per member: exactly the set Redis must hold.
void last_k::write_zset(user_state& u, std::vector<key_update>& out) {
  key_update upd{.key = u.key, .ttl_s = f_.key_ttl_s, .type = redis_type::zset, .replace = u.replace};
  auto changed = std::count_if(u.entries.begin(), u.entries.end(), [&](const entry& x) { return u.replace || x.written_ts != x.ts; });
  upd.set.reserve(static_cast<size_t>(changed));
  for (auto& x : u.entries) {
    if (u.replace || x.written_ts != x.ts) upd.set.emplace_back(values_.key(x.value), std::to_string(x.ts));
    x.written_ts = x.ts;
  }
  for (auto m : u.removed) {
    bool back = std::any_of(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.value == m; });
    if (!u.replace && !back) upd.del.push_back(values_.key(m));
    values_.release(m);
  }
  u.removed.clear();
  u.replace = false;
  if (!upd.set.empty() || !upd.del.empty() || upd.replace) out.push_back(std::move(upd));
}

void last_k::save(snapshot_sink& out) {
  users_.save(out, [&](state_writer& w, const std::string& user, const user_state& u) {
    w.str(user).str(u.key).u64(u.entries.size());
    for (const auto& x : u.entries) w.i64(x.ts).u64(x.seq).str(values_.key(x.value));
  });
}

bool last_k::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto id = ids().intern(in.str_view());
    auto& u = users_.try_emplace(id).first->state;
    u.key = in.str();
    auto n = in.u64();
    // An entry is three values of at least a byte each: a count beyond that is corrupt.
    u.entries.reserve_more(std::min<uint64_t>(n, in.remaining() / 3));
    for (; in.ok() && n > 0; --n) {
      entry x{in.ts(), in.u64()};
      auto value = in.str_view();
      if (!in.ok()) break;
      x.value = values_.intern(value);
      values_.acquire(x.value);
      u.entries.push_back(x);
    }
    std::sort(u.entries.begin(), u.entries.end(), before);
    if (u.indexed_bucket == no_watermark) reindex(id, u);
  }
  return in.ok();
}

void last_k::rewrite_all() {
  users_.rewrite_all([&](user_state& u) {
    for (auto& x : u.entries) x.written_ts = not_written;
    for (auto m : u.removed) values_.release(m);
    u.removed.clear();
    u.replace = true;
  });
}

void last_k::flush(std::vector<key_update>& out) {
  users_.flush([&](table::row& r) {
    if (zset_) write_zset(r.state, out);
    else write_list(r.state, out);
    return !r.state.entries.empty();
  });
}

}  // namespace rtfeat
