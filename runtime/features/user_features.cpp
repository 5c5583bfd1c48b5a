// User feature state (see user_features.hpp). Fields are few per user, so a
// small vector with linear search beats a map here.
#include "runtime/features/user_features.hpp"

#include <algorithm>

namespace rtfeat {

user_features::user_features(const feature_plan& plan)
  : plan_(plan), tails_(plan.windows.size(), no_watermark), expiry_(plan.windows.size()) {}

bool user_features::label_of(const user_field_rule& rule, const event& e, std::string& label) const {
  if (!rule.by_band) {
    if (!e.has_category) return false;
    label = std::to_string(e.category_id);
    return true;
  }
  bool has = rule.band_on_amount ? e.has_amount : e.has_price;
  double v = rule.band_on_amount ? e.amount : e.price;
  if (!has) return false;
  for (const auto& b : rule.bands) {
    if (v >= b.lo && v < b.hi) {
      label = b.label;
      return true;
    }
  }
  return false;
}

void user_features::add(const event& e, int64_t wm_at_read) {
  std::string label;
  std::string field;
  user_state* st = nullptr;
  for (const auto& rule : plan_.user_rules) {
    if ((rule.behaviors & behavior_bit(e.kind)) == 0) continue;
    if (wm_at_read != no_watermark && e.ts < wm_at_read - rule.lateness_ms) continue;
    if (!label_of(rule, e, label)) continue;
    const auto& win = plan_.windows[rule.window_slot];
    if (tails_[rule.window_slot] != no_watermark && e.ts < tails_[rule.window_slot]) continue;
    field.clear();
    rule.field.render(field, [&](const std::string& var) -> const std::string& {
      return var == "user_id" ? e.user_id : label;
    });
    if (st == nullptr) st = &users_[e.user_id];
    count(e.user_id, *st, rule, field, win.bucket_of(e.ts));
  }
}

void user_features::count(const std::string& user, user_state& st, const user_field_rule& rule,
                          const std::string& field, int64_t bucket) {
  auto slot = static_cast<uint32_t>(rule.key_slot);
  auto it = std::find_if(st.fields.begin(), st.fields.end(), [&](const field_counter& f) {
    return f.key_slot == slot && f.field == field;
  });
  if (it == st.fields.end()) {
    st.fields.push_back({field, slot, static_cast<uint32_t>(rule.window_slot), {}, false});
    it = st.fields.end() - 1;
  }
  if (it->counts.add(bucket)) expiry_[rule.window_slot][bucket].push_back(user);
  it->dirty = true;
  if (!st.dirty) {
    st.dirty = true;
    dirty_.push_back(user);
  }
}

void user_features::advance(int64_t watermark) {
  for (size_t w = 0; w < plan_.windows.size(); ++w) {
    int64_t tail = plan_.windows[w].tail(watermark);
    if (tail == no_watermark || (tails_[w] != no_watermark && tail <= tails_[w])) continue;
    tails_[w] = tail;
    auto& index = expiry_[w];
    auto end = index.lower_bound(tail);
    for (auto it = index.begin(); it != end; ++it) {
      for (const auto& user : it->second) {
        auto u = users_.find(user);
        if (u == users_.end()) continue;
        for (auto& f : u->second.fields) {
          if (f.window_slot != w || !f.counts.evict_before(tail)) continue;
          f.dirty = true;
          if (!u->second.dirty) {
            u->second.dirty = true;
            dirty_.push_back(user);
          }
        }
      }
    }
    index.erase(index.begin(), end);
  }
}

void user_features::flush_user(const std::string& user, user_state& st,
                               std::vector<key_update>& out) {
  for (size_t slot = 0; slot < plan_.user_keys.size(); ++slot) {
    key_update upd;
    for (auto& f : st.fields) {
      if (f.key_slot != slot || !f.dirty) continue;
      if (f.counts.empty()) upd.del.push_back(f.field);
      else upd.set.emplace_back(f.field, std::to_string(f.counts.total()));
      f.dirty = false;
    }
    if (upd.set.empty() && upd.del.empty()) continue;
    plan_.user_keys[slot].render(upd.key, [&](const std::string&) -> const std::string& { return user; });
    upd.ttl_s = plan_.user_key_ttl_s[slot];
    out.push_back(std::move(upd));
  }
  std::erase_if(st.fields, [](const field_counter& f) { return f.counts.empty(); });
  st.dirty = false;
}

void user_features::flush(std::vector<key_update>& out) {
  for (const auto& user : dirty_) {
    auto it = users_.find(user);
    if (it == users_.end()) continue;
    flush_user(user, it->second, out);
    if (it->second.fields.empty()) users_.erase(it);
  }
  dirty_.clear();
}

}  // namespace rtfeat
