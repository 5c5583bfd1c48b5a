// simdjson DOM parse of one event (the DOM API dispatches to the best SIMD
// kernel at run time; on-demand is fixed at compile time and fell back to
// scalar code without -march). Fields may come in any order and may repeat
// (last wins, as in most JSON readers); unknown fields are ignored.
#include "runtime/event_parser.hpp"

#include <chrono>
#include <cmath>

namespace rtfeat {

namespace sj = simdjson;

event_parser::event_parser(int64_t now_ms, parse_checks checks)
  : max_ts_(now_ms + max_future_ms), checks_(checks) {}

namespace {

enum class field_state : uint8_t { absent, present, bad_type };

// Reads a string field; null counts as absent.
field_state read_string(sj::dom::element v, std::string& out) {
  if (v.is_null()) return field_state::absent;
  std::string_view s;
  if (v.get_string().get(s) != sj::SUCCESS) return field_state::bad_type;
  out.assign(s);
  return s.empty() ? field_state::absent : field_state::present;
}

field_state read_int(sj::dom::element v, int64_t& out) {
  if (v.is_null()) return field_state::absent;
  if (v.get_int64().get(out) != sj::SUCCESS) return field_state::bad_type;
  return field_state::present;
}

// A non-finite number is a number (out_of_range), not a wrong type.
field_state read_number(sj::dom::element v, double& out) {
  if (v.is_null()) return field_state::absent;
  if (v.get_double().get(out) != sj::SUCCESS) return field_state::bad_type;
  return field_state::present;
}

// !(|v| <= max) is also true for NaN.
bool is_out_of_range(field_state s, double v) {
  return s == field_state::present && !(std::fabs(v) <= max_abs_amount);
}

struct field_states {
  field_state user = field_state::absent, behavior = field_state::absent,
              ts = field_state::absent, item = field_state::absent,
              category = field_state::absent, price = field_state::absent,
              amount = field_state::absent, region = field_state::absent,
              campaign = field_state::absent;
  std::string behavior_name;

  bool any_bad_type() const {
    for (auto s : {user, behavior, ts, item, category, price, amount, region, campaign})
      if (s == field_state::bad_type) return true;
    return false;
  }
};

// Visits every field; returns false when the document is not a JSON object.
bool read_fields(sj::dom::element doc, event& out, field_states& st) {
  sj::dom::object obj;
  if (doc.get_object().get(obj) != sj::SUCCESS) return false;
  for (auto [key, v] : obj) {
    if (key == "user_id") st.user = read_string(v, out.user_id);
    else if (key == "behavior") st.behavior = read_string(v, st.behavior_name);
    else if (key == "ts") st.ts = read_int(v, out.ts);
    else if (key == "item_id") st.item = read_string(v, out.item_id);
    else if (key == "category_id") st.category = read_int(v, out.category_id);
    else if (key == "price") st.price = read_number(v, out.price);
    else if (key == "amount") st.amount = read_number(v, out.amount);
    else if (key == "region") st.region = read_string(v, out.region);
    else if (key == "campaign_id") st.campaign = read_string(v, out.campaign_id);
    // Unknown fields (query, ...) are ignored.
  }
  return true;
}

}  // namespace

std::optional<reject_reason> event_parser::parse(std::string_view payload, event& out) {
  if (payload.size() > max_event_bytes) return reject_reason::oversize;
  buffer_.assign(payload);
  buffer_.resize(payload.size() + sj::SIMDJSON_PADDING);
  out = event{};
  field_states st;
  sj::dom::element doc;
  if (parser_.parse(buffer_.data(), payload.size(), false).get(doc) != sj::SUCCESS)
    return reject_reason::bad_json;
  if (!read_fields(doc, out, st)) return reject_reason::bad_json;
  if (st.any_bad_type()) return reject_reason::wrong_type;
  if (st.user != field_state::present || st.behavior != field_state::present
      || st.ts != field_state::present)
    return reject_reason::missing_field;
  if (!parse_behavior(st.behavior_name, out.kind)) return reject_reason::bad_behavior;
  if (out.kind != behavior::search
      && (st.item != field_state::present || st.category != field_state::present))
    return reject_reason::missing_field;
  if (out.ts < min_event_ts || out.ts > max_ts_) return reject_reason::ts_out_of_range;
  if (checks_.amount_range && (is_out_of_range(st.price, out.price) || is_out_of_range(st.amount, out.amount)))
    return reject_reason::out_of_range;
  if (st.item != field_state::present) out.item_id.clear();
  out.has_category = st.category == field_state::present;
  out.has_price = st.price == field_state::present;
  out.has_amount = st.amount == field_state::present;
  if (st.region != field_state::present) out.region.clear();
  if (st.campaign != field_state::present) out.campaign_id.clear();
  return std::nullopt;
}

}  // namespace rtfeat
