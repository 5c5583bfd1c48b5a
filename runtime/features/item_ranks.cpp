// Percentile-rank feature state (see item_ranks.hpp).
#include "runtime/features/item_ranks.hpp"

#include <algorithm>

#include "runtime/features/percentile_rank.hpp"

namespace rtfeat {

item_ranks::item_ranks(const compiled_feature& f, entity_interner* ids)
  : feature_state(f.scope, ids), f_(f), window_(f.window) {}

// Every change of a category's counts marks it: for the next flush and the next snapshot.
void item_ranks::mark_dirty(int64_t category, category_state& st) {
  st.snap.invalidate();
  if (st.dirty) return;
  st.dirty = true;
  dirty_.push_back(category);
}

void item_ranks::add_to(entity_id, const event& e, int64_t wm_at_read, uint64_t) {
  if ((f_.behaviors & behavior_bit(e.kind)) == 0 || e.item_id.empty() || !e.has_category) return;
  if (!on_time_for(f_, e.ts, wm_at_read)) return;
  if (tail_ != no_watermark && e.ts < tail_) return;
  auto [cit, fresh] = categories_.try_emplace(e.category_id);
  auto& cat = cit->second;
  cat.rewrite = cat.rewrite || fresh;  // see rewrite_all(): Redis may hold an older run's values
  int64_t bucket = window_.bucket_of(e.ts);
  if (cat.items[e.item_id].counts.add(bucket)) expiry_[bucket].emplace_back(e.category_id, e.item_id);
  mark_dirty(e.category_id, cat);
}

void item_ranks::advance(int64_t watermark) {
  int64_t tail = window_.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  auto end = expiry_.lower_bound(tail);
  for (auto it = expiry_.begin(); it != end; ++it) {
    for (const auto& [category, item] : it->second) {
      auto c = categories_.find(category);
      if (c == categories_.end()) continue;
      auto i = c->second.items.find(item);
      if (i != c->second.items.end() && i->second.counts.evict_before(tail)) mark_dirty(category, c->second);
    }
  }
  expiry_.erase(expiry_.begin(), end);
}

void item_ranks::flush_items(int64_t category, category_state& st,
                             const std::vector<uint64_t>& sorted, std::vector<key_update>& out) {
  auto cat_text = std::to_string(category);
  for (auto it = st.items.begin(); it != st.items.end();) {
    auto& item = it->second;
    key_update upd;
    if (item.counts.empty()) {
      // Unconditional: an item counted and evicted between two flushes may still
      // be in Redis from a run that crashed before a checkpoint.
      upd.del = {f_.def.count_field, f_.def.rank_field};
    } else {
      auto pct = percentile_rank_text(sorted, item.counts.total());
      if (item.counts.total() != item.written_count)
        upd.set.emplace_back(f_.def.count_field, std::to_string(item.counts.total()));
      if (pct != item.written_pct) upd.set.emplace_back(f_.def.rank_field, pct);
      item.written_count = item.counts.total();
      item.written_pct = std::move(pct);
    }
    if (!upd.set.empty() || !upd.del.empty()) {
      f_.key.render(upd.key, [&](const std::string& var) -> const std::string& {
        return var == "category_id" ? cat_text : it->first;
      });
      upd.ttl_s = f_.key_ttl_s;
      out.push_back(std::move(upd));
    }
    if (item.counts.empty()) st.items.erase(it++);
    else ++it;
  }
}

void item_ranks::flush_deciles(int64_t category, category_state& st,
                               const std::vector<uint64_t>& sorted, std::vector<key_update>& out) {
  std::vector<uint64_t> deciles;
  for (int k = 10; !sorted.empty() && k <= 90; k += 10) deciles.push_back(nearest_rank(sorted, k));
  if (deciles == st.written_deciles && !st.rewrite) return;
  key_update upd;
  auto cat_text = std::to_string(category);
  f_.deciles_key.render(upd.key, [&](const std::string&) -> const std::string& { return cat_text; });
  upd.ttl_s = f_.deciles_ttl_s;
  for (size_t i = 0; i < 9; ++i) {
    auto k = std::to_string(10 * (i + 1));
    std::string field;
    f_.deciles_field.render(field, [&](const std::string&) -> const std::string& { return k; });
    if (deciles.empty()) upd.del.push_back(std::move(field));
    else if (st.rewrite || st.written_deciles.empty() || st.written_deciles[i] != deciles[i])
      upd.set.emplace_back(std::move(field), std::to_string(deciles[i]));
  }
  st.written_deciles = std::move(deciles);
  out.push_back(std::move(upd));
}

void item_ranks::save(const writer_for& out) const {
  for (const auto& kv : categories_) {
    const auto& category = kv.first;  // not a structured binding: clang 14 cannot capture one
    const auto& st = kv.second;
    st.snap.write_to(out(std::to_string(category)), [&](state_writer& w) {
      // Sorted by item: the same state gives the same bytes, whatever the hash map's order.
      std::vector<const std::pair<const std::string, item_state>*> items;
      items.reserve(st.items.size());
      for (const auto& it : st.items) items.push_back(&it);
      std::sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
      w.i64(category).u64(items.size());
      for (const auto* it : items) {
        w.str(it->first).u64(it->second.counts.buckets().size());
        for (const auto& [start, n] : it->second.counts.buckets()) w.i64(start).u64(n);
      }
    });
  }
}

bool item_ranks::load(state_reader& in) {
  while (in.ok() && !in.at_end()) {
    auto category = in.i64();
    auto& st = categories_[category];
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto id = in.str();
      auto& item = st.items[id];
      for (auto m = in.u64(); in.ok() && m > 0; --m) {
        auto start = in.i64();
        if (item.counts.add(start, static_cast<uint32_t>(in.u64()))) expiry_[start].emplace_back(category, id);
      }
    }
  }
  return in.ok();
}

void item_ranks::rewrite_all() {
  for (auto& [category, st] : categories_) {
    // What Redis holds is unknown now: write every value, delete every empty one.
    for (auto& [id, item] : st.items) item.written_count = 0, item.written_pct.clear();
    st.written_deciles.clear();
    st.rewrite = true;
    st.dirty = false;
    mark_dirty(category, st);
  }
}

void item_ranks::flush(std::vector<key_update>& out) {
  std::vector<uint64_t> sorted;
  for (int64_t category : dirty_) {
    auto c = categories_.find(category);
    if (c == categories_.end()) continue;
    sorted.clear();
    for (const auto& [id, item] : c->second.items)
      if (!item.counts.empty()) sorted.push_back(item.counts.total());
    std::sort(sorted.begin(), sorted.end());
    flush_items(category, c->second, sorted, out);
    flush_deciles(category, c->second, sorted, out);
    c->second.dirty = c->second.rewrite = false;
    if (c->second.items.empty()) categories_.erase(c);
  }
  dirty_.clear();
}

}  // namespace rtfeat
