// Last-k sequences and timelines (see last_k.hpp).
#include "runtime/features/last_k.hpp"

#include <algorithm>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void last_k::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (tail_ != no_watermark && e.ts < tail_) return;
  std::string value;
  if (zset_ ? !render_from(f_.member, e, value) : !e.has_category) return;
  if (!zset_) value = std::to_string(e.category_id);
  auto [it, fresh] = users_.try_emplace(e.user_id);
  auto& u = it->second;
  if (fresh) {
    render_from(f_.key, e, u.key);
    u.replace = zset_;  // a crashed run may have left members: the first write replaces
  }
  if (zset_ && !keep_newest_member(u, e.ts, value)) return;
  entry x{e.ts, seq, std::move(value)};
  auto pos = std::upper_bound(u.entries.begin(), u.entries.end(), x, [](const entry& a, const entry& b) {
    return a.ts < b.ts || (a.ts == b.ts && a.seq < b.seq);
  });
  u.entries.insert(pos, std::move(x));
  if (u.entries.size() > static_cast<size_t>(f_.def.k)) drop_weakest(u);
  index_.add(f_.window.bucket_of(e.ts), e.user_id);
  if (!u.dirty) u.dirty = true, dirty_.push_back(e.user_id);
}

// A zset member's score is its newest ts, and entries leave oldest first: an
// older entry of the same member can never matter again.
bool last_k::keep_newest_member(user_state& u, int64_t ts, const std::string& member) {
  auto old = std::find_if(u.entries.begin(), u.entries.end(), [&](const entry& x) { return x.value == member; });
  if (old == u.entries.end()) return true;
  if (old->ts >= ts) return false;
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
  u.entries.erase(weakest);
}

void last_k::advance(int64_t watermark) {
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  index_.pop_before(tail, [&](int64_t, const std::string& user) {
    auto it = users_.find(user);
    if (it == users_.end()) return;
    auto& u = it->second;
    auto n = u.entries.size();
    std::erase_if(u.entries, [&](const entry& x) { return x.ts < tail; });
    if (u.entries.size() != n && !u.dirty) u.dirty = true, dirty_.push_back(user);
  });
}

void last_k::write_list(user_state& u, std::vector<key_update>& out) const {
  key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::list, {}, false};
  for (auto it = u.entries.rbegin(); it != u.entries.rend(); ++it) upd.values.push_back(it->value);
  out.push_back(std::move(upd));
}

void last_k::write_zset(user_state& u, std::vector<key_update>& out) const {
  std::map<std::string, int64_t> best;
  for (const auto& x : u.entries) best[x.value] = std::max(best[x.value], x.ts);
  std::vector<std::pair<int64_t, std::string>> ranked;
  for (auto& [m, ts] : best) ranked.emplace_back(ts, m);
  // Largest score first; ties: smaller member first.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  if (ranked.size() > static_cast<size_t>(f_.def.k)) ranked.resize(static_cast<size_t>(f_.def.k));
  std::map<std::string, int64_t> next;
  for (auto& [ts, m] : ranked) next.emplace(std::move(m), ts);
  key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::zset, {}, u.replace};
  u.replace = false;
  for (const auto& [m, ts] : next) {
    auto w = u.written.find(m);
    if (w == u.written.end() || w->second != ts) upd.set.emplace_back(m, std::to_string(ts));
  }
  for (const auto& [m, ts] : u.written)
    if (!next.contains(m)) upd.del.push_back(m);
  u.written = std::move(next);
  if (!upd.set.empty() || !upd.del.empty() || upd.replace) out.push_back(std::move(upd));
}

void last_k::save(const writer_for& out) const {
  for (const auto& [user, u] : users_) {
    auto& w = out(user);
    w.str(user).str(u.key).u64(u.entries.size());
    for (const auto& x : u.entries) w.i64(x.ts).u64(x.seq).str(x.value);
  }
}

bool last_k::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto user = in.str();
    auto& u = users_[user];
    u.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      entry x{in.i64(), in.u64(), in.str()};
      index_.add(f_.window.bucket_of(x.ts), user);
      u.entries.push_back(std::move(x));
    }
  }
  return in.ok();
}

void last_k::rewrite_all() {
  for (auto& [user, u] : users_) {
    u.written.clear();
    u.replace = true;
    if (!u.dirty) u.dirty = true, dirty_.push_back(user);
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
