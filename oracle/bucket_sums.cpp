// bucket_sums: one accumulator per (key, field) and slide bucket. A tail is
// always a multiple of the slide, so "ts >= tail" is "bucket >= tail", and a
// trend's previous span [tail - P, tail) is whole buckets when P is a multiple.
#include "oracle/bucket_sums.hpp"

#include "oracle/feature_events.hpp"

namespace rtfeat::oracle {

bool bucket_sums::applies(const feature_def& f) {
  bool sliding = f.window.kind == window_kind::sliding || f.window.kind == window_kind::tumbling;
  if (!sliding || f.window.slide_ms <= 0) return false;
  switch (f.aggregation) {
    case aggregation_kind::percentile_rank:
      return true;
    case aggregation_kind::count:
    case aggregation_kind::sum:
    case aggregation_kind::avg:
    case aggregation_kind::min:
    case aggregation_kind::max:
      return f.tier_within.empty() && f.trend_previous_ms % f.window.slide_ms == 0;
    default:
      return false;
  }
}

bucket_sums::bucket_sums(const feature_def& f)
    : f_(f), key_t_(compile_template(f.output.key)), field_t_(compile_template(f.output.field)) {}

int64_t bucket_sums::bucket_of(int64_t ts) const {
  const int64_t slide = f_.window.slide_ms;
  int64_t q = ts / slide;
  if (ts % slide != 0 && ts < 0) --q;  // floor, as window_tail
  return q * slide;
}

void bucket_sums::add(const kept_event& ev) {
  if (f_.aggregation == aggregation_kind::percentile_rank) {
    ++pairs_[{ev.category_id, ev.item_id}][bucket_of(ev.ts)];
    return;
  }
  numeric_slot at;
  auto vars = [&ev](const std::string& name) { return event_var(ev, name); };
  if (!render(key_t_, vars, at.first) || !render(field_t_, vars, at.second)) return;
  numeric_accumulator& a = slots_[at][bucket_of(ev.ts)];
  a.add(f_, ev);
  a.last = nullptr;  // the event is not kept here; only tiers read it, and they are not summed here
}

void bucket_sums::drop_before(int64_t ts) {
  if (ts <= dropped_before_) return;  // called for every label: walk the slots only when the tail moved
  dropped_before_ = ts;
  auto drop = [&](auto& by_key) {
    for (auto it = by_key.begin(); it != by_key.end();) {
      auto& buckets = it->second;
      buckets.erase(buckets.begin(), buckets.lower_bound(bucket_of(ts)));
      it = buckets.empty() ? by_key.erase(it) : std::next(it);
    }
  };
  drop(slots_);
  drop(pairs_);
}

void bucket_sums::window_pairs(int64_t tail, std::map<category_item, int64_t>& into) const {
  for (const auto& [pair, buckets] : pairs_) {
    int64_t n = 0;
    for (auto b = buckets.lower_bound(tail); b != buckets.end(); ++b) n += b->second;
    if (n > 0) into.emplace_hint(into.end(), pair, 0)->second += n;  // in order: O(1) when `into` is empty
  }
}

void bucket_sums::evaluate(int64_t tail, expected_state& out, const std::string* only_item) const {
  if (f_.aggregation == aggregation_kind::percentile_rank) {
    std::map<category_item, int64_t> pairs;
    window_pairs(tail, pairs);
    return write_percentile_rank(f_, pairs, out, only_item);
  }
  if (f_.trend_previous_ms > 0) {
    std::map<numeric_slot, trend_spans> by_slot;
    for (const auto& [slot, buckets] : slots_) {
      auto b = buckets.lower_bound(tail - f_.trend_previous_ms);
      if (b == buckets.end()) continue;
      auto& sp = by_slot[slot];
      for (; b != buckets.end(); ++b) (b->first >= tail ? sp.cur : sp.prev) += b->second.sum;
    }
    return write_trend(f_, by_slot, out);
  }
  numeric_accumulators accs;
  for (const auto& [slot, buckets] : slots_) {
    auto b = buckets.lower_bound(tail);
    if (b == buckets.end()) continue;
    auto& a = accs[slot];
    for (; b != buckets.end(); ++b) a.merge(b->second);
  }
  write_numeric(f_, accs, out);
}

}  // namespace rtfeat::oracle
