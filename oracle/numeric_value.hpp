// Internal to the oracle: what one event adds to a count/sum/avg/min/max and how
// a sum is written, shared by the plain evaluator and the trend evaluator.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "config/feature_catalogue.hpp"
#include "oracle/exact_int.hpp"
#include "oracle/event_log.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/feature_events.hpp"

namespace rtfeat::oracle {

/// True when the feature's value is a price or an amount (a decimal).
bool is_decimal(const feature_def& f);

/// The event's value in units of 1/10 000 (v * 10000.0 rounded as llround, in
/// 128 bits); nullopt when the feature has no decimal value. REQUIRES: the
/// event is kept (carries it).
std::optional<exact_int> value_units(const feature_def& f, const kept_event& ev);

/// What the event adds to a sum: count -> 1; sum -> value units, times the
/// behaviour's weight when weights are given, or the weight alone without a value;
/// avg/min/max -> value units.
exact_int contribution(const feature_def& f, const kept_event& ev);

/// A sum as Redis holds it: decimal text of units for prices/amounts, else an integer.
std::string numeric_text(const feature_def& f, exact_int sum);

/// trend (SPEC §3 #11): value over the window and trend against the previous span.
void eval_trend(const feature_events& s, expected_state& out);

/// What count, sum, avg, min and max keep of the events of one (key, field).
struct numeric_accumulator {
  int64_t count = 0;  // kept events in the window
  exact_int sum = 0;  // of contribution(): units, weighted units or weights
  std::optional<exact_int> min, max;  // of value units
  const kept_event* last = nullptr;   // renders the tier key and field
  void add(const feature_def& f, const kept_event& ev);
  /// Adds another span's events; `last` stays this one's unless it had none.
  void merge(const numeric_accumulator& other);
};

using numeric_slot = std::pair<std::string, std::string>;  // (key, field); field "" for strings
using numeric_accumulators = std::map<numeric_slot, numeric_accumulator>;

/// Writes each slot's value (and the tiers, when the feature has one).
void write_numeric(const feature_def& f, const numeric_accumulators& accs, expected_state& out);

/// The current and the previous span of a trend's (key, field).
struct trend_spans {
  exact_int cur = 0;
  exact_int prev = 0;
};

/// Writes each slot's value and trend where cur + prev > 0.
void write_trend(const feature_def& f, const std::map<numeric_slot, trend_spans>& by_slot,
                 expected_state& out);

}  // namespace rtfeat::oracle
