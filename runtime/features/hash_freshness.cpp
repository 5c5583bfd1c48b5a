// Freshness of hashes (see hash_freshness.hpp). Per event: one keep test per
// owner until one keeps it, then the key rendered into a reused buffer and one
// lookup by view; nothing is allocated unless the hash is new.
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

const std::string* text_of(const event& e, uint8_t field) {
  switch (field) {
    case need_user: return &e.user_id;
    case need_item: return &e.item_id;
    case need_region: return &e.region;
    case need_campaign: return &e.campaign_id;
    default: return nullptr;
  }
}

}  // namespace

hash_freshness::hash_freshness(const feature_plan& plan, const compiled_freshness& f) : f_(f) {
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
    if (!p.is_var) parts_.push_back({p.text, 0});
    else parts_.push_back({{}, need_of(p.text)});
  }
}

bool hash_freshness::is_kept(const event& e, int64_t wm_at_read) const {
  for (const auto& o : owners_)
    if ((o.behaviors & behavior_bit(e.kind)) != 0 && on_time_for(*o.feature, e.ts, wm_at_read) && carries(e, o.needs))
      return true;
  return false;
}

// The owner that kept the event names every variable of the key, so a missing
// one cannot happen; it is checked anyway rather than rendering a wrong key.
bool hash_freshness::render_key(const event& e) {
  key_.clear();
  for (const auto& p : parts_) {
    if (p.field == 0) {
      key_ += p.literal;
    } else if (p.field == need_category) {
      if (!e.has_category) return false;
      char digits[24];
      auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
      key_.append(digits, r.ptr);
    } else {
      const auto* text = text_of(e, p.field);
      if (text == nullptr || text->empty()) return false;
      key_ += *text;
    }
  }
  return true;
}

void hash_freshness::record(std::string_view hash_key, const std::string& scope_key, int64_t ts, bool mark) {
  uint32_t at = 0;
  if (auto it = index_.find(hash_key); it != index_.end()) {
    at = it->second;
    if (ts <= entries_[at].ts) return;
    entries_[at].ts = ts;
  } else {
    at = static_cast<uint32_t>(entries_.size());
    auto& e = entries_.emplace_back(entry{std::string(hash_key), scope_key, ts, false});
    index_.emplace(e.hash_key, at);
  }
  if (mark && !entries_[at].dirty) entries_[at].dirty = true, dirty_.push_back(at);
}

void hash_freshness::add(const event& e, int64_t wm_at_read, uint64_t) {
  if (!is_kept(e, wm_at_read) || !render_key(e)) return;
  if (auto it = index_.find(key_); it != index_.end()) {  // the common case: no routing key needed
    auto& en = entries_[it->second];
    if (e.ts <= en.ts) return;
    en.ts = e.ts;
    if (!en.dirty) en.dirty = true, dirty_.push_back(it->second);
    return;
  }
  if (!scope_key(f_.scope, e, scope_)) return;  // kept, so the entity's id is there
  record(key_, scope_, e.ts, true);
}

void hash_freshness::flush(std::vector<key_update>& out) {
  for (auto at : dirty_) {
    auto& en = entries_[at];
    en.dirty = false;
    key_update u{en.hash_key, {}, {}, f_.ttl_s, redis_type::hash, {}, false};
    u.set.emplace_back(std::string(freshness_field), std::to_string(en.ts));
    out.push_back(std::move(u));
  }
  dirty_.clear();
}

void hash_freshness::save(const writer_for& out) const {
  for (const auto& en : entries_) out(en.scope_key).str(en.scope_key).str(en.hash_key).i64(en.ts);
}

bool hash_freshness::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto scope = in.str();
    auto key = in.str();
    auto ts = in.i64();
    if (in.ok()) record(key, scope, ts, false);
  }
  return in.ok();
}

void hash_freshness::rewrite_all() {
  dirty_.reserve(entries_.size());
  for (uint32_t at = 0; at < entries_.size(); ++at)
    if (!entries_[at].dirty) entries_[at].dirty = true, dirty_.push_back(at);
}

std::optional<int64_t> hash_freshness::newest(std::string_view hash_key) const {
  auto it = index_.find(hash_key);
  if (it == index_.end()) return std::nullopt;
  return entries_[it->second].ts;
}

}  // namespace rtfeat
