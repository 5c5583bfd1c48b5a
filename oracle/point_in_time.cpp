// point_in_time: groups of events per value, evaluated with the oracle's own
// evaluators (evaluate_feature) at the prefix's watermark, and pruned with two
// facts that hold for every later prefix: once every partition has data, W only
// grows (so a sliding window's tail only moves forward), and first_after_seen's
// F only moves back (so an event at or after F + H never enters its window).
#include "oracle/point_in_time.hpp"

#include <algorithm>

namespace rtfeat::oracle {

point_in_time::tracked::tracked(const feature_def& f, model_entity e)
    : def(&f), entity(e), summed(bucket_sums::applies(f)), filter(f, no_events, 0) {
  if (f.aggregation == aggregation_kind::percentile_rank)
    by = grouping::by_category;
  else if (!f.tier_within.empty())
    by = grouping::everybody;
  else
    by = e == model_entity::user ? grouping::by_user : grouping::by_item;
}

point_in_time::point_in_time(const feature_catalogue& cat,
                             const std::vector<std::pair<std::string, model_entity>>& wanted,
                             const std::vector<kept_event>& log, int32_t partitions,
                             int64_t out_of_orderness_ms)
    : log_(log), out_of_orderness_ms_(out_of_orderness_ms),
      max_ts_(static_cast<size_t>(std::max(partitions, 1))) {
  for (const auto& want : wanted) {
    auto known = std::find_if(tracked_.begin(), tracked_.end(), [&](const auto& t) {
      return t->def->name == want.first && t->entity == want.second;
    });
    if (known != tracked_.end()) continue;
    for (const auto& f : cat.features)
      if (f.name == want.first) tracked_.push_back(std::make_unique<tracked>(f, want.second));
  }
}

void point_in_time::advance_to(size_t end) {
  end = std::min(end, log_.size());
  for (; seen_ < end; ++seen_) add(static_cast<uint32_t>(seen_));
}

std::optional<int64_t> point_in_time::watermark() const {
  std::optional<int64_t> w;
  for (const auto& m : max_ts_)
    if (m) w = std::min(w.value_or(*m - out_of_orderness_ms_), *m - out_of_orderness_ms_);
  return w;
}

void point_in_time::add(uint32_t index) {
  const kept_event& ev = log_[index];
  auto& m = max_ts_[static_cast<size_t>(ev.partition)];
  if (!m) ++partitions_with_data_;
  m = std::max(m.value_or(ev.ts), ev.ts);
  for (auto& t : tracked_) {
    bool f_window = t->def->window.kind == window_kind::first_after_seen;
    if (!(f_window ? t->filter.is_seen(ev) : t->filter.is_kept(ev))) continue;
    group* g = nullptr;
    switch (t->by) {
      case grouping::by_user:
        g = &t->by_id[ev.user_id];
        break;
      case grouping::by_item:
        if (ev.item_id.empty()) continue;
        g = &t->by_id[ev.item_id];
        break;
      case grouping::by_category:
        g = &t->by_category[ev.category_id];  // kept for a percentile_rank: has both
        t->item_categories[ev.item_id].insert(ev.category_id);
        break;
      case grouping::everybody:
        g = &t->all;
        break;
    }
    if (t->summed) {
      if (!g->sums) g->sums = std::make_unique<bucket_sums>(*t->def);
      g->sums->add(ev);
    } else {
      g->events.push_back(ev);
    }
    ++g->version;
  }
}

int64_t point_in_time::prune(const tracked& t, group& g, int64_t w) const {
  const auto& win = t.def->window;
  int64_t stamp = 0;
  int64_t below = 0;  // events with ts < below can go (sliding windows)
  int64_t from = 0;   // events with ts >= from can go (first_after_seen)
  bool by_tail = false;
  bool by_first = false;
  switch (win.kind) {
    case window_kind::sliding:
    case window_kind::tumbling:
      stamp = window_tail(w, win.size_ms, win.slide_ms);
      below = stamp - t.def->trend_previous_ms;
      // A partition without data yet may still pull W, and so the tail, back.
      by_tail = partitions_with_data_ == static_cast<int32_t>(max_ts_.size());
      break;
    case window_kind::first_after_seen:
      if (!g.events.empty()) {
        int64_t first = g.events.front().ts;
        for (const auto& ev : g.events) first = std::min(first, ev.ts);
        from = first + win.size_ms;
        by_first = true;
      }
      break;
    case window_kind::unbounded:
      break;
  }
  if (by_tail && g.sums) g.sums->drop_before(below);  // the value at any later tail is the same
  if ((by_tail || by_first) && !g.sums) {
    auto gone = [&](const kept_event& ev) {
      return (by_tail && ev.ts < below) || (by_first && ev.ts >= from);
    };
    auto end = std::remove_if(g.events.begin(), g.events.end(), gone);
    if (end != g.events.end()) {
      g.events.erase(end, g.events.end());
      ++g.version;
    }
  }
  return stamp;
}

const expected_state& point_in_time::evaluate(tracked& t, group& g, const std::string* only_item) {
  auto w = watermark();
  if (!w || g.empty()) return nothing_;
  int64_t stamp = prune(t, g, *w);
  if (!g.sums) only_item = nullptr;  // plain evaluations write every key
  if (g.evaluated && g.evaluated_version == g.version && g.evaluated_window == stamp
      && (only_item == nullptr || g.evaluated_item == *only_item))
    return g.values;
  g.values = expected_state{};
  if (g.sums)
    g.sums->evaluate(stamp, g.values, only_item);  // summed features are sliding: the stamp is the tail
  else
    evaluate_feature(*t.def, g.events, *w, g.values);
  g.evaluated = true;
  g.evaluated_version = g.version;
  g.evaluated_window = stamp;
  g.evaluated_item = only_item != nullptr ? *only_item : std::string();
  return g.values;
}

const expected_state& point_in_time::evaluate_categories(tracked& t,
                                                         const std::set<int64_t>& categories) {
  auto w = watermark();
  if (!w) return nothing_;
  merged_values_ = expected_state{};
  if (t.summed) {
    std::map<category_item, int64_t> pairs;
    int64_t tail = 0;
    for (int64_t c : categories) {
      auto& g = t.by_category[c];
      tail = prune(t, g, *w);
      if (g.sums) g.sums->window_pairs(tail, pairs);
    }
    write_percentile_rank(*t.def, pairs, merged_values_);
    return merged_values_;
  }
  merged_.clear();
  for (int64_t c : categories) {
    auto& g = t.by_category[c];
    prune(t, g, *w);
    merged_.insert(merged_.end(), g.events.begin(), g.events.end());
  }
  // Back to log order, which breaks ties between equal ts.
  std::sort(merged_.begin(), merged_.end(),
            [](const kept_event& a, const kept_event& b) { return a.line < b.line; });
  evaluate_feature(*t.def, merged_, *w, merged_values_);
  return merged_values_;
}

const expected_state& point_in_time::values(std::string_view feature, model_entity entity,
                                            const std::string& id) {
  auto it = std::find_if(tracked_.begin(), tracked_.end(), [&](const auto& t) {
    return t->def->name == feature && t->entity == entity;
  });
  if (it == tracked_.end()) return nothing_;
  tracked& t = **it;
  switch (t.by) {
    case grouping::by_user:
    case grouping::by_item: {
      auto g = t.by_id.find(id);
      return g == t.by_id.end() ? nothing_ : evaluate(t, g->second);
    }
    case grouping::by_category: {
      auto cats = t.item_categories.find(id);
      if (cats == t.item_categories.end()) return nothing_;
      if (cats->second.size() == 1) return evaluate(t, t.by_category[*cats->second.begin()], &id);
      return evaluate_categories(t, cats->second);
    }
    case grouping::everybody:
      return evaluate(t, t.all);
  }
  return nothing_;
}

}  // namespace rtfeat::oracle
