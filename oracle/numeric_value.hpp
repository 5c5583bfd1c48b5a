// Internal to the oracle: what one event adds to a count/sum/avg/min/max and how
// a sum is written, shared by the plain evaluator and the trend evaluator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/feature_catalogue.hpp"
#include "oracle/exact_int.hpp"
#include "oracle/event_log.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/feature_scope.hpp"

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
void eval_trend(const feature_scope& s, expected_state& out);

}  // namespace rtfeat::oracle
