// Inter-event intervals (see purchase_intervals.hpp).
#include "runtime/features/purchase_intervals.hpp"

#include <algorithm>

#include "runtime/features/decimal.hpp"
#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void purchase_intervals::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  auto [it, fresh] = users_.try_emplace(e.user_id);
  auto& u = it->second;
  if (fresh) render_from(f_.key, e, u.key);
  std::pair<int64_t, uint64_t> x{e.ts, seq};
  u.times.insert(std::upper_bound(u.times.begin(), u.times.end(), x), x);
  if (u.times.size() > static_cast<size_t>(f_.def.k) + 1) u.times.erase(u.times.begin());
  u.snap.invalidate();
  if (!u.dirty) u.dirty = true, dirty_.push_back(e.user_id);
}

void purchase_intervals::save(const writer_for& out) const {
  for (const auto& kv : users_) {
    const auto& user = kv.first;  // not a structured binding: clang 14 cannot capture one
    const auto& u = kv.second;
    u.snap.write_to(out(user), [&](state_writer& w) {
      w.str(user).str(u.key).u64(u.times.size());
      for (const auto& [ts, seq] : u.times) w.i64(ts).u64(seq);
    });
  }
}

bool purchase_intervals::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto& u = users_[in.str()];
    u.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto ts = in.i64();
      u.times.emplace_back(ts, in.u64());
    }
  }
  return in.ok();
}

void purchase_intervals::rewrite_all() {
  dirty_.reserve(dirty_.size() + users_.size());  // one growth, not ~20 copies of millions of keys
  for (auto& [user, u] : users_) {
    u.written.clear();
    if (!u.dirty) u.dirty = true, dirty_.push_back(user);
  }
}

void purchase_intervals::flush(std::vector<key_update>& out) {
  for (const auto& user : dirty_) {
    auto& u = users_.at(user);
    u.dirty = false;
    std::vector<std::string> gaps;  // newest first; ms / 1000 with 4 decimals, exactly
    for (size_t i = u.times.size(); i >= 2; --i)
      gaps.push_back(units_text((u.times[i - 1].first - u.times[i - 2].first) * 10));
    key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::hash, {}, false, {}};
    for (size_t j = 0; j < gaps.size(); ++j) {
      if (j < u.written.size() && u.written[j] == gaps[j]) continue;
      std::string field;
      f_.field.render(field, [&](const std::string& var) {
        return var == "n" ? std::to_string(j + 1) : var == "user_id" ? user : std::string();
      });
      upd.set.emplace_back(std::move(field), gaps[j]);
    }
    u.written = std::move(gaps);
    if (!upd.set.empty()) out.push_back(std::move(upd));
  }
  dirty_.clear();
}

}  // namespace rtfeat
