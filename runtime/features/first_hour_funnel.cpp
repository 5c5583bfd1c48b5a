// First-hour funnel (see first_hour_funnel.hpp).
#include "runtime/features/first_hour_funnel.hpp"

#include <algorithm>
#include <cstdint>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void first_hour_funnel::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) {
  if (id == no_entity || !on_time_for(f_, e.ts, wm_at_read)) return;
  auto [r, fresh] = users_.try_emplace(id);
  auto& u = r->state;
  int64_t size = f_.def.window.size_ms;
  if (fresh) {
    render_from(f_.key, e, u.key);
    u.first_seen = e.ts;
    u.written = SIZE_MAX;  // unknown: a crashed run may have written a value
  } else if (e.ts < u.first_seen) {
    u.first_seen = e.ts;
    std::erase_if(u.steps, [&](const step_event& s) { return s.ts >= u.first_seen + size; });
    users_.changed(*r);
  }
  auto kind = static_cast<uint8_t>(e.kind);
  bool is_step = std::find(f_.def.steps.begin(), f_.def.steps.end(), kind) != f_.def.steps.end();
  if (is_step && e.ts < u.first_seen + size) {
    step_event s{e.ts, seq, kind};
    u.steps.insert(std::upper_bound(u.steps.begin(), u.steps.end(), s,
                                    [](const step_event& a, const step_event& b) {
                                      return a.ts < b.ts || (a.ts == b.ts && a.seq < b.seq);
                                    }),
                   s);
    users_.changed(*r);
  }
  users_.mark_for_flush(*r);
}

size_t first_hour_funnel::reached(const user_state& u) const {
  size_t step = 0;
  for (const auto& s : u.steps)
    if (step < f_.def.steps.size() && s.kind == f_.def.steps[step]) ++step;
  return step;
}

void first_hour_funnel::save(snapshot_sink& out) {
  users_.save(out, [](state_writer& w, const std::string& user, const user_state& u) {
    w.str(user).str(u.key).i64(u.first_seen).u64(u.steps.size());
    for (const auto& s : u.steps) w.i64(s.ts).u64(s.seq).u64(s.kind);
  });
}

bool first_hour_funnel::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto& u = users_.try_emplace(ids().intern(in.str_view())).first->state;
    u.key = in.str();
    u.first_seen = in.i64();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      step_event s{in.i64(), in.u64(), 0};
      s.kind = static_cast<uint8_t>(in.u64());
      u.steps.push_back(s);
    }
  }
  return in.ok();
}

void first_hour_funnel::rewrite_all() {
  // unknown: write whatever the value is, even "no field"
  users_.rewrite_all([](user_state& u) { u.written = SIZE_MAX; });
}

void first_hour_funnel::flush(std::vector<key_update>& out) {
  users_.flush([&](entity_table<user_state>::row& r) {
    auto& u = r.state;
    auto n = reached(u);
    if (n == u.written) return true;
    key_update upd{.key = u.key, .ttl_s = f_.key_ttl_s, .type = redis_type::hash};
    if (n > 0) upd.set.emplace_back(f_.def.output.field, std::to_string(n));
    else upd.del.push_back(f_.def.output.field);
    u.written = n;
    out.push_back(std::move(upd));
    return true;
  });
}

}  // namespace rtfeat
