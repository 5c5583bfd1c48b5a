// First-hour funnel (see first_hour_funnel.hpp).
#include "runtime/features/first_hour_funnel.hpp"

#include <algorithm>
#include <cstdint>

#include "runtime/features/template_vars.hpp"

namespace rtfeat {

void first_hour_funnel::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  if (!on_time_for(f_, e.ts, wm_at_read)) return;
  auto [it, fresh] = users_.try_emplace(e.user_id);
  auto& u = it->second;
  int64_t size = f_.def.window.size_ms;
  if (fresh) {
    render_from(f_.key, e, u.key);
    u.first_seen = e.ts;
    u.written = SIZE_MAX;  // unknown: a crashed run may have written a value
  } else if (e.ts < u.first_seen) {
    u.first_seen = e.ts;
    std::erase_if(u.steps, [&](const step_event& s) { return s.ts >= u.first_seen + size; });
    u.snap.invalidate();
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
    u.snap.invalidate();
  }
  if (!u.dirty) u.dirty = true, dirty_.push_back(e.user_id);
}

size_t first_hour_funnel::reached(const user_state& u) const {
  size_t step = 0;
  for (const auto& s : u.steps)
    if (step < f_.def.steps.size() && s.kind == f_.def.steps[step]) ++step;
  return step;
}

void first_hour_funnel::save(const writer_for& out) const {
  for (const auto& kv : users_) {
    const auto& user = kv.first;  // not a structured binding: clang 14 cannot capture one
    const auto& u = kv.second;
    u.snap.write_to(out(user), [&](state_writer& w) {
      w.str(user).str(u.key).i64(u.first_seen).u64(u.steps.size());
      for (const auto& s : u.steps) w.i64(s.ts).u64(s.seq).u64(s.kind);
    });
  }
}

bool first_hour_funnel::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto& u = users_[in.str()];
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
  dirty_.reserve(dirty_.size() + users_.size());  // one growth, not ~20 copies of millions of keys
  for (auto& [user, u] : users_) {
    u.written = SIZE_MAX;  // unknown: write whatever the value is, even "no field"
    if (!u.dirty) u.dirty = true, dirty_.push_back(user);
  }
}

void first_hour_funnel::flush(std::vector<key_update>& out) {
  for (const auto& user : dirty_) {
    auto& u = users_.at(user);
    u.dirty = false;
    auto n = reached(u);
    if (n == u.written) continue;
    key_update upd{u.key, {}, {}, f_.key_ttl_s, redis_type::hash, {}, false, {}};
    if (n > 0) upd.set.emplace_back(f_.def.output.field, std::to_string(n));
    else upd.del.push_back(f_.def.output.field);
    u.written = n;
    out.push_back(std::move(upd));
  }
  dirty_.clear();
}

}  // namespace rtfeat
