// Inter-event intervals (see purchase_intervals.hpp).
#include "runtime/features/purchase_intervals.hpp"

#include <algorithm>

#include "runtime/features/decimal.hpp"
#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void purchase_intervals::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) {
  if (id == no_entity || (f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  auto [r, fresh] = users_.try_emplace(id);
  auto& u = r->state;
  if (fresh) render_from(f_.key, e, u.key);
  std::pair<int64_t, uint64_t> x{e.ts, seq};
  u.times.insert(std::upper_bound(u.times.begin(), u.times.end(), x), x);
  if (u.times.size() > static_cast<size_t>(f_.def.k) + 1) u.times.erase(u.times.begin());
  users_.mark(*r);
}

void purchase_intervals::save(snapshot_sink& out) {
  users_.save(out, [](state_writer& w, const std::string& user, const user_state& u) {
    w.str(user).str(u.key).u64(u.times.size());
    for (const auto& [ts, seq] : u.times) w.i64(ts).u64(seq);
  });
}

bool purchase_intervals::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto& u = users_.try_emplace(ids().intern(in.str_view())).first->state;
    u.key = in.str();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto ts = in.i64();
      u.times.emplace_back(ts, in.u64());
    }
  }
  return in.ok();
}

void purchase_intervals::rewrite_all() {
  users_.rewrite_all([](user_state& u) { u.written.clear(); });
}

void purchase_intervals::flush(std::vector<key_update>& out) {
  users_.flush([&](entity_table<user_state>::row& r) {
    auto& u = r.state;
    const auto& user = users_.key(r);
    std::vector<std::string> gaps;  // newest first; ms / 1000 with 4 decimals, exactly
    for (size_t i = u.times.size(); i >= 2; --i)
      gaps.push_back(units_text((u.times[i - 1].first - u.times[i - 2].first) * 10));
    key_update upd{.key = u.key, .ttl_s = f_.key_ttl_s, .type = redis_type::hash};
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
    return true;
  });
}

}  // namespace rtfeat
