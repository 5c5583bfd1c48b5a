// Windowed count/sum/avg/min/max/histogram (see windowed_stats.hpp).
#include "runtime/features/windowed_stats.hpp"

#include <algorithm>
#include <climits>
#include <optional>

#include "runtime/features/decimal.hpp"
#include "runtime/features/template_vars.hpp"

namespace rtfeat {

namespace {

using agg = aggregation_kind;

struct totals {
  int64_t count = 0;
  wide_int sum = 0, min = 0, max = 0;
};

totals sum_range(const std::vector<windowed_stats::stat_bucket>& b, int64_t from, int64_t to) {
  totals t;
  for (const auto& x : b) {
    if (x.start < from || x.start >= to) continue;
    t.min = t.count == 0 ? x.min : std::min(t.min, x.min);
    t.max = t.count == 0 ? x.max : std::max(t.max, x.max);
    t.count += x.count;
    t.sum += x.sum;
  }
  return t;
}

}  // namespace

windowed_stats::value_source windowed_stats::source_of(const feature_def& d) {
  if (d.value == "price") return value_source::price;
  if (d.value == "amount") return value_source::amount;
  return value_source::none;
}

windowed_stats::windowed_stats(const compiled_feature& f, entity_interner* ids)
  : feature_state(f.scope, ids), f_(f), value_(source_of(f.def)), string_out_(f.def.output.type == "string"),
    trend_ms_(f.def.trend_previous_ms), entities_(this->ids()) {}

// docs/semantics.md: an event without the configured value is not kept (also
// for count); weights multiply the value, or stand alone as a weighted count.
bool windowed_stats::value_of(const event& e, wide_int& value) const {
  const auto& d = f_.def;
  bool by_value = value_ != value_source::none;
  if (by_value && !(value_ == value_source::amount ? e.has_amount : e.has_price)) return false;
  if (d.aggregation == agg::count || d.aggregation == agg::histogram) return value = 1, true;
  int64_t weight = d.weights.empty() ? 1 : d.weights[static_cast<size_t>(e.kind)];
  value = by_value ? weight * to_units(value_ == value_source::amount ? e.amount : e.price) : weight;
  return true;
}

bool windowed_stats::field_of(const event& e, std::string& field) const {
  const auto& d = f_.def;
  if (string_out_) return field.clear(), true;
  if (d.aggregation != agg::histogram) return render_from(f_.field, e, field);
  if (!(value_ == value_source::amount ? e.has_amount : e.has_price)) return false;
  double v = value_ == value_source::amount ? e.amount : e.price;
  for (const auto& b : d.bands)
    if (v >= b.lo && v < b.hi) return render_from(f_.field, e, field, "band", b.label);
  return false;
}

void windowed_stats::add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t) {
  if (id == no_entity || (f_.behaviors & behavior_bit(e.kind)) == 0 || !on_time_for(f_, e.ts, wm_at_read)) return;
  if (tail_ != no_watermark && e.ts < tail_ - trend_ms_) return;
  wide_int value = 0;
  auto& label = label_;
  if (!value_of(e, value) || !field_of(e, label)) return;
  auto [r, fresh] = entities_.try_emplace(id);
  auto& st = r->state;
  if (fresh && !render_from(f_.key, e, st.redis_key)) {
    entities_.erase(id);
    return;
  }
  auto fs = std::find_if(st.fields.begin(), st.fields.end(), [&](const field_state& x) { return x.field == label; });
  if (fs == st.fields.end()) fs = st.fields.insert(st.fields.end(), field_state{label, {}, false});
  int64_t start = f_.window.bucket_of(e.ts);
  // Events come mostly in order: their bucket is usually the newest.
  auto b = fs->buckets.end();
  if (b == fs->buckets.begin() || (b - 1)->start != start)
    b = std::lower_bound(fs->buckets.begin(), fs->buckets.end(), start,
                         [](const stat_bucket& x, int64_t s) { return x.start < s; });
  else
    --b;
  if (b == fs->buckets.end() || b->start != start) {
    b = fs->buckets.insert(b, stat_bucket{start, 0, 0, value, value});
    // One index entry per entity and bucket, not per field: touch() visits all fields.
    if (tail_ != no_watermark && start < tail_) previous_.add(start, id);
    else if (start != st.indexed_bucket) current_.add(start, id), st.indexed_bucket = std::max(st.indexed_bucket, start);
  }
  b->count += 1;
  b->sum += value;
  b->min = std::min(b->min, value);
  b->max = std::max(b->max, value);
  fs->dirty = true;
  entities_.mark(*r);
}

void windowed_stats::advance(int64_t watermark) {
  int64_t tail = f_.window.tail(watermark);
  if (tail == no_watermark || (tail_ != no_watermark && tail <= tail_)) return;
  tail_ = tail;
  // Only fields with a bucket before the new tail change value (one left the
  // window, or moved to the trend's previous one); the others are not written.
  auto touch = [&](int64_t, entity_id id) {
    auto* r = entities_.find(id);
    if (r == nullptr) return;
    bool changed = false;
    for (auto& fs : r->state.fields) {
      if (fs.buckets.empty() || fs.buckets.front().start >= tail_) continue;
      std::erase_if(fs.buckets, [&](const stat_bucket& b) { return b.start < tail_ - trend_ms_; });
      fs.dirty = changed = true;
    }
    if (changed) entities_.mark(*r);
  };
  // With a trend, buckets first move from the current to the previous window.
  current_.pop_before(tail, [&](int64_t start, entity_id id) {
    if (trend_ms_ > 0 && start >= tail - trend_ms_) previous_.add(start, id);
    touch(start, id);
  });
  previous_.pop_before(tail - trend_ms_, touch);
}

std::optional<std::string> windowed_stats::value_text(const field_state& fs) const {
  auto cur = sum_range(fs.buckets, tail_, INT64_MAX);
  if (cur.count == 0) return std::nullopt;
  switch (f_.def.aggregation) {
    case agg::count: case agg::histogram: return std::to_string(cur.count);
    case agg::sum: return value_ != value_source::none ? units_text(cur.sum) : wide_text(cur.sum);
    case agg::avg: return ratio_text(cur.sum, wide_int{cur.count} * decimal_scale);
    case agg::min: return units_text(cur.min);
    case agg::max: return units_text(cur.max);
    default: return std::nullopt;
  }
}

void windowed_stats::write_trend(const field_state& fs, key_update& upd) const {
  bool by_count = f_.def.aggregation == agg::count;
  auto cur = sum_range(fs.buckets, tail_, INT64_MAX);
  auto prev = sum_range(fs.buckets, tail_ - trend_ms_, tail_);
  wide_int c = by_count ? cur.count : cur.sum, p = by_count ? prev.count : prev.sum;
  if (c + p <= 0) {
    upd.del.push_back(fs.field);
    upd.del.push_back(f_.def.trend_field);
    return;
  }
  // "+1" is one unit of the value: 1 for counts and weights, 1/10 000 of a decimal sum.
  bool decimal = !by_count && value_ != value_source::none;
  wide_int one = decimal ? decimal_scale : 1;
  wide_int r = trend_ms_ / f_.window.size_ms;
  upd.set.emplace_back(fs.field, decimal ? units_text(c) : wide_text(c));
  upd.set.emplace_back(f_.def.trend_field, ratio_text(r * (c + one), p + r * one));
}

void windowed_stats::write_entity(table::row& r, std::vector<key_update>& out) {
  auto& st = r.state;
  key_update upd;
  upd.key = st.redis_key;
  upd.ttl_s = f_.key_ttl_s;
  upd.type = string_out_ ? redis_type::string : redis_type::hash;
  if (!string_out_) {
    // One allocation for the fields written, not one per doubling.
    auto dirty = std::count_if(st.fields.begin(), st.fields.end(), [](const field_state& fs) { return fs.dirty; });
    upd.set.reserve(static_cast<size_t>(dirty) * (trend_ms_ > 0 ? 2 : 1));
  }
  for (auto& fs : st.fields) {
    if (!fs.dirty) continue;
    fs.dirty = false;
    if (trend_ms_ > 0) {
      write_trend(fs, upd);
      continue;
    }
    auto text = value_text(fs);
    if (string_out_) upd.values = text ? std::vector<std::string>{*text} : std::vector<std::string>{};
    else if (text) upd.set.emplace_back(fs.field, std::move(*text));
    else upd.del.push_back(fs.field);
  }
  if (std::erase_if(st.fields, [&](const field_state& fs) { return fs.buckets.empty(); }) > 0) entities_.changed(r);
  out.push_back(std::move(upd));
}

void windowed_stats::save(snapshot_sink& out) {
  entities_.save(out, [](state_writer& w, const std::string& key, const entity_state& st) {
    w.str(key).str(st.redis_key).u64(st.fields.size());
    for (const auto& fs : st.fields) {
      w.str(fs.field).u64(fs.buckets.size());
      for (const auto& b : fs.buckets) w.i64(b.start).i64(b.count).i128(b.sum).i128(b.min).i128(b.max);
    }
  });
}

bool windowed_stats::load(state_reader& in) {
  std::vector<int64_t> starts;  // of this entity's buckets: indexed once each
  while (in.ok() && !in.at_end()) {
    auto id = ids().intern(in.str_view());
    auto& st = entities_.try_emplace(id).first->state;
    st.redis_key = in.str();
    starts.clear();
    for (auto n = in.u64(); in.ok() && n > 0; --n) {
      auto& fs = st.fields.emplace_back(field_state{in.str(), {}, false});
      auto m = in.u64();
      // A bucket is five values of at least a byte each: a count beyond that is corrupt,
      // and reserving it would throw length_error or exhaust memory.
      fs.buckets.reserve(std::min<uint64_t>(m, in.remaining() / 5));
      for (; in.ok() && m > 0; --m) {
        stat_bucket b{in.i64(), in.i64(), in.i128(), in.i128(), in.i128()};
        fs.buckets.push_back(b);
        if (std::find(starts.begin(), starts.end(), b.start) == starts.end()) starts.push_back(b.start);
      }
    }
    for (auto start : starts) current_.add(start, id);
    if (!starts.empty()) st.indexed_bucket = *std::max_element(starts.begin(), starts.end());
  }
  return in.ok();
}

void windowed_stats::rewrite_all() {
  entities_.rewrite_all([](entity_state& st) {
    for (auto& fs : st.fields) fs.dirty = true;
  });
}

void windowed_stats::flush(std::vector<key_update>& out) {
  entities_.flush([&](table::row& r) {
    write_entity(r, out);
    return !r.state.fields.empty();
  });
}

}  // namespace rtfeat
