// Freshness of hashes (see hash_freshness.hpp). Per event: one keep test per
// owner until one keeps it, the entity's identity built in a reused buffer, one
// lookup; the hash key is rendered, and memory allocated, only for a new hash.
#include "runtime/features/hash_freshness.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <initializer_list>

#include "config/freshness.hpp"

namespace rtfeat {

namespace {

// Event fields a keep test may need; also what a key template's ${var} reads.
enum : uint8_t {
  need_item = 1U << 0,
  need_category = 1U << 1,
  need_region = 1U << 2,
  need_campaign = 1U << 3,
  need_price = 1U << 4,
  need_amount = 1U << 5,
  need_user = 1U << 6,  // every accepted event has one: only for rendering
};

uint8_t need_of(std::string_view name) {
  if (name == "user_id") return need_user;
  if (name == "item_id") return need_item;
  if (name == "category_id") return need_category;
  if (name == "region") return need_region;
  if (name == "campaign_id") return need_campaign;
  if (name == "price") return need_price;
  if (name == "amount") return need_amount;
  return 0;  // ${n}, ${k}, ${band}, ${behavior}: not event fields that may be missing
}

uint8_t needs_of_template(const std::string& text) {
  key_template t;
  std::string error;
  if (text.empty() || !parse_key_template(text, t, error)) return 0;  // validated at catalogue load
  uint8_t needs = 0;
  for (const auto& v : t.variables()) needs |= need_of(v);
  return needs;
}

// docs/semantics.md "kept": every variable of the feature's key, field and
// member templates (deciles and tier included), its group_by and value fields,
// and its entity's ids.
uint8_t needs_of(const feature_def& d) {
  uint8_t needs = need_of(d.group_by) | need_of(d.value);
  for (const auto* text : {&d.output.key, &d.output.field, &d.output.member})
    needs |= needs_of_template(*text);
  if (d.aggregation == aggregation_kind::percentile_rank) needs |= needs_of_template(d.deciles.key);
  if (!d.tier_within.empty()) needs |= needs_of_template(d.tier.key) | needs_of_template(d.tier.field);
  switch (d.entity) {
    case entity_kind::user: break;
    case entity_kind::item: needs |= need_item; break;
    case entity_kind::category: needs |= need_category; break;
    case entity_kind::campaign_region: needs |= need_campaign | need_region; break;
  }
  return static_cast<uint8_t>(needs & ~need_user);
}

bool carries(const event& e, uint8_t needs) {
  return ((needs & need_item) == 0 || !e.item_id.empty()) && ((needs & need_category) == 0 || e.has_category)
         && ((needs & need_region) == 0 || !e.region.empty())
         && ((needs & need_campaign) == 0 || !e.campaign_id.empty())
         && ((needs & need_price) == 0 || e.has_price) && ((needs & need_amount) == 0 || e.has_amount);
}

bool append_field(const event& e, uint8_t field, std::string& out) {
  switch (field) {
    case need_user: out += e.user_id; return !e.user_id.empty();
    case need_item: out += e.item_id; return !e.item_id.empty();
    case need_region: out += e.region; return !e.region.empty();
    case need_campaign: out += e.campaign_id; return !e.campaign_id.empty();
    case need_category: {
      if (!e.has_category) return false;
      char digits[24];
      auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
      out.append(digits, r.ptr);
      return true;
    }
    default: return false;
  }
}

/// The key variables a routing key of `scope` fixes (scope_key in scope.cpp).
uint8_t fixed_by(feature_scope scope) {
  switch (scope) {
    case feature_scope::user: return need_user;
    case feature_scope::item: return need_item;
    case feature_scope::category: return need_category;
    case feature_scope::campaign_region: return need_campaign | need_region;
    case feature_scope::all: return 0;
  }
  return 0;
}

}  // namespace

hash_freshness::hash_freshness(const feature_plan& plan, const compiled_freshness& f, entity_interner* ids)
  : feature_state(f.scope, ids), f_(f), entries_(this->ids()) {
  for (auto i : f.owners) {
    const auto& c = plan.features[i];
    uint32_t behaviors = 0;
    for (auto b : c.def.behaviors) behaviors |= 1U << b;
    owners_.push_back({&c, c.def.behaviors.empty() ? 0x3fU : behaviors, needs_of(c.def)});
  }
  // The widest filter first: is_kept stops at the first owner that keeps the event.
  std::stable_sort(owners_.begin(), owners_.end(), [](const owner_test& a, const owner_test& b) {
    return std::popcount(a.behaviors) > std::popcount(b.behaviors);
  });
  for (const auto& p : f.key.parts()) {
    if (!p.is_var) {
      parts_.push_back({p.text, 0});
      continue;
    }
    parts_.push_back({{}, need_of(p.text)});
    auto field = parts_.back().field;
    if ((field & fixed_by(f.scope)) == 0 && std::find(extras_.begin(), extras_.end(), field) == extras_.end())
      extras_.push_back(field);
  }
  derived_ = extras_.empty()
             && (f.scope == feature_scope::user || f.scope == feature_scope::item || f.scope == feature_scope::category);
  if (!extras_.empty()) entries_ = table(identities_);
}

bool hash_freshness::is_kept(const event& e, int64_t wm_at_read) const {
  for (const auto& o : owners_)
    if ((o.behaviors & behavior_bit(e.kind)) != 0 && on_time_for(*o.feature, e.ts, wm_at_read) && carries(e, o.needs))
      return true;
  return false;
}

bool hash_freshness::identity_of(const event& e, uint32_t& scope_len) {
  if (!scope_key(f_.scope, e, id_)) return false;
  scope_len = static_cast<uint32_t>(id_.size());
  for (auto field : extras_) {
    id_ += '\x1f';
    if (!append_field(e, field, id_)) return false;
  }
  return true;
}

// The owner that kept the event names every variable of the key, so a missing
// one cannot happen; it is checked anyway rather than rendering a wrong key.
bool hash_freshness::render_key(const event& e, std::string& out) const {
  out.clear();
  for (const auto& p : parts_) {
    if (p.field == 0) out += p.literal;
    else if (!append_field(e, p.field, out)) return false;
  }
  return true;
}

std::string hash_freshness::hash_key_of(const std::string& identity, const entry& en) const {
  if (!derived_) return en.hash_key;
  size_t size = 0;
  for (const auto& p : parts_) size += p.field == 0 ? p.literal.size() : identity.size();
  std::string key;
  key.reserve(size);  // one allocation per flushed key, not one per part
  for (const auto& p : parts_) key += p.field == 0 ? p.literal : identity;  // scope_key() of the one variable
  return key;
}

void hash_freshness::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t) {
  if (!is_kept(e, wm_at_read)) return;
  uint32_t scope_len = 0;
  if (!extras_.empty()) {
    if (!identity_of(e, scope_len)) return;
    id = identities_.intern(id_);
  } else if (id == no_entity) {
    return;
  }
  auto [r, fresh] = entries_.try_emplace(id);
  auto& en = r->state;
  if (fresh) {  // the rare case: render the hash key, allocate
    en.scope_len = extras_.empty() ? static_cast<uint32_t>(entries_.key(*r).size()) : scope_len;
    if (!derived_ && !render_key(e, en.hash_key)) return entries_.erase(id);
  } else if (e.ts <= en.ts) {
    return;
  }
  en.ts = e.ts;
  entries_.mark(*r);
}

void hash_freshness::flush(std::vector<key_update>& out) {
  entries_.flush([&](table::row& r) {  // entries are never erased
    key_update u{.key = hash_key_of(entries_.key(r), r.state), .ttl_s = f_.ttl_s, .type = redis_type::hash};
    u.set.emplace_back(std::string(freshness_field), std::to_string(r.state.ts));
    out.push_back(std::move(u));
    return true;
  });
}

void hash_freshness::save(snapshot_sink& out) {
  entries_.save(out, [](state_writer& w, const std::string& id, const entry& en) {
    w.str(id).u64(en.scope_len).i64(en.ts).str(en.hash_key);
  });
}

bool hash_freshness::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto id = in.str_view();
    entry en{{}, 0, static_cast<uint32_t>(in.u64())};
    en.ts = in.i64();
    en.hash_key = in.str();
    if (!in.ok()) break;
    auto [r, fresh] = entries_.try_emplace(entries_.ids().intern(id));
    if (fresh) r->state = std::move(en);
    else r->state.ts = std::max(r->state.ts, en.ts);
  }
  return in.ok();
}

void hash_freshness::rewrite_all() {
  entries_.rewrite_all([](entry&) {});
}

std::optional<int64_t> hash_freshness::newest(std::string_view hash_key) const {
  for (const auto& r : entries_.rows())
    if (hash_key_of(entries_.key(r), r.state) == hash_key) return r.state.ts;
  return std::nullopt;
}

}  // namespace rtfeat
