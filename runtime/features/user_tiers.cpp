// Windowed sum + decile tier among all users (see user_tiers.hpp).
#include "runtime/features/user_tiers.hpp"

#include <algorithm>

#include "runtime/features/decimal.hpp"
#include "runtime/features/template_vars.hpp"

namespace rtfeat {

wide_int user_tiers::user_state::sum() const {
  wide_int s = 0;
  for (const auto& [start, units] : buckets) s += units;
  return s;
}

void user_tiers::add_to(entity_id, const event& e, int64_t wm_at_read, uint64_t) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  bool by_amount = f_.def.value == "amount";
  if (!(by_amount ? e.has_amount : e.has_price) || (tail_ != no_watermark && e.ts < tail_)) return;
  auto [it, fresh] = users_.try_emplace(e.user_id);
  auto& u = it->second;
  if (fresh) {
    render_from(f_.key, e, u.amount_key);
    render_from(f_.tier_key, e, u.tier_key);
    u.rewrite = true;  // a crashed run may have written this user: write whatever comes
  }
  int64_t start = f_.window.bucket_of(e.ts);
  auto b = std::lower_bound(u.buckets.begin(), u.buckets.end(), start,
                            [](const auto& x, int64_t s) { return x.first < s; });
  if (b == u.buckets.end() || b->first != start) {
    b = u.buckets.insert(b, {start, 0});
    index_.add(start, e.user_id);
  }
  b->second += to_units(by_amount ? e.amount : e.price);
  saves_.changed(e.user_id, u.saved);
  changed_ = true;
}

void user_tiers::advance(int64_t watermark) {
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  index_.pop_before(tail, [&](int64_t, const std::string& user) {
    auto it = users_.find(user);
    if (it == users_.end()) return;
    if (std::erase_if(it->second.buckets, [&](const auto& b) { return b.first < tail; }) > 0)
      saves_.changed(user, it->second.saved);
    changed_ = true;
  });
}

void user_tiers::write_user(user_state& u, const std::vector<wide_int>& sorted,
                            std::vector<key_update>& out) const {
  wide_int sum = u.sum();
  wide_int amount = sum > 0 ? sum : 0;  // compared as a number: text only for what is written
  int tier = 0;
  if (sum > 0) {
    auto less = std::lower_bound(sorted.begin(), sorted.end(), sum) - sorted.begin();
    tier = 1 + static_cast<int>(10 * less / static_cast<int64_t>(sorted.size()));
  }
  if (amount != u.written_amount || u.rewrite) {
    key_update s{.key = u.amount_key, .ttl_s = f_.key_ttl_s, .type = redis_type::string};
    if (amount > 0) s.values.push_back(units_text(amount));
    out.push_back(std::move(s));
    u.written_amount = amount;
  }
  if (tier != u.written_tier || u.rewrite) {
    key_update h{.key = u.tier_key, .ttl_s = f_.tier_ttl_s, .type = redis_type::hash};
    if (tier > 0) h.set.emplace_back(f_.def.tier.field, std::to_string(tier));
    else h.del.push_back(f_.def.tier.field);
    out.push_back(std::move(h));
    u.written_tier = tier;
  }
  u.rewrite = false;
}

void user_tiers::save(snapshot_sink& out) {
  auto put = [&](const std::string& user) {
    const auto& u = users_.find(user)->second;
    out.put("all", user, [&](state_writer& w) {
      w.str(user).str(u.amount_key).str(u.tier_key).u64(u.buckets.size());
      for (const auto& [start, units] : u.buckets) w.i64(start).i128(units);
    });
  };
  auto for_each = [&](auto&& fn) {
    for (auto& [user, u] : users_) fn(user, u.saved);
  };
  auto flags_of = [&](const std::string& user) {
    auto it = users_.find(user);
    return it == users_.end() ? nullptr : &it->second.saved;
  };
  saves_.save(out, for_each, flags_of, put);
}

bool user_tiers::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto user = in.str();
    auto& u = users_[user];
    saves_.changed(user, u.saved);
    u.amount_key = in.str();
    u.tier_key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto start = in.i64();
      u.buckets.emplace_back(start, in.i128());
      index_.add(start, user);
    }
  }
  changed_ = true;
  return in.ok();
}

void user_tiers::rewrite_all() {
  for (auto& [user, u] : users_) u.rewrite = true;
  changed_ = true;
}

void user_tiers::flush(std::vector<key_update>& out) {
  if (!changed_) return;
  changed_ = false;
  std::vector<wide_int> sorted;
  for (const auto& [user, u] : users_)
    if (wide_int s = u.sum(); s > 0) sorted.push_back(s);
  std::sort(sorted.begin(), sorted.end());
  for (auto it = users_.begin(); it != users_.end();) {
    write_user(it->second, sorted, out);
    bool gone = it->second.buckets.empty() && it->second.written_amount == 0 && it->second.written_tier == 0;
    if (gone) saves_.erased(it->second.saved, "all", it->first), users_.erase(it++);
    else ++it;
  }
}

}  // namespace rtfeat
