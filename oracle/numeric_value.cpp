// Per-event contributions of the numeric aggregations (see numeric_value.hpp):
// values are rounded to 1/10 000 once, weights are exact integers.
#include "oracle/numeric_value.hpp"

#include <algorithm>

#include "oracle/decimal_text.hpp"

namespace rtfeat::oracle {

bool is_decimal(const feature_def& f) { return f.value == "price" || f.value == "amount"; }

std::optional<exact_int> value_units(const feature_def& f, const kept_event& ev) {
  if (f.value == "price") return to_units(ev.price);
  if (f.value == "amount") return to_units(ev.amount);
  return std::nullopt;
}

exact_int contribution(const feature_def& f, const kept_event& ev) {
  if (f.aggregation == aggregation_kind::count) return 1;
  int64_t weight = 1;
  if (!f.weights.empty() && f.aggregation == aggregation_kind::sum)
    weight = f.weights.at(static_cast<size_t>(ev.kind));
  return value_units(f, ev).value_or(1) * weight;
}

void numeric_accumulator::add(const feature_def& f, const kept_event& ev) {
  ++count;
  sum += contribution(f, ev);
  if (auto u = value_units(f, ev)) {
    min = min ? std::min(*min, *u) : *u;
    max = max ? std::max(*max, *u) : *u;
  }
  last = &ev;
}

void numeric_accumulator::merge(const numeric_accumulator& other) {
  count += other.count;
  sum += other.sum;
  if (other.min) min = min ? std::min(*min, *other.min) : *other.min;
  if (other.max) max = max ? std::max(*max, *other.max) : *other.max;
  if (last == nullptr) last = other.last;
}

std::string numeric_text(const feature_def& f, exact_int sum) {
  if (f.aggregation == aggregation_kind::sum && is_decimal(f)) return units_text(sum);
  return exact_text(sum);
}

}  // namespace rtfeat::oracle
