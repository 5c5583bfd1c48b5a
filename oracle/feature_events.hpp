// Internal to the oracle: which events a feature sees (docs/semantics.md "kept"
// and the window kinds), the values of template variables, and rendering.
// Every evaluator asks feature_events the same two questions about each event.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "oracle/event_log.hpp"

namespace rtfeat::oracle {

/// Parses a template the catalogue loader already validated; aborts if it is not
/// valid (a broken invariant, not an input error). "" gives a template rendering "".
key_template compile_template(const std::string& text);

/// Value of template variable `name` for `ev`: user_id, item_id, category_id,
/// region, campaign_id, behavior; nullopt when the event does not carry it.
std::optional<std::string> event_var(const kept_event& ev, std::string_view name);

/// Renders `t` into `out` with `lookup(name) -> std::optional<std::string>`;
/// false when some variable has no value.
template <class Lookup>
bool render(const key_template& t, Lookup&& lookup, std::string& out) {
  out.clear();
  bool complete = true;
  t.render(out, [&](const std::string& name) {
    auto v = lookup(name);
    if (!v) complete = false;
    return v.value_or(std::string{});
  });
  return complete;
}

/// One feature at watermark w over the kept events of the log.
class feature_events {
public:
  /// REQUIRES: `f` and `events` outlive this.
  feature_events(const feature_def& f, const std::vector<kept_event>& events, int64_t w);

  const feature_def& def() const { return f_; }
  const std::vector<kept_event>& events() const { return events_; }

  /// Kept for the feature: behaviour filter, the feature's own lateness, and
  /// every field its templates, group_by and value name.
  bool is_kept(const kept_event& ev) const { return passes_filter(ev) && is_seen(ev); }

  /// In the feature's window (sliding/tumbling: ts >= tail; unbounded: always;
  /// first_after_seen: F <= ts < F + size for the event's entity).
  bool in_window(const kept_event& ev) const;

  bool counts(const kept_event& ev) const { return is_kept(ev) && in_window(ev); }

  /// Kept ignoring the behaviour filter: what first_after_seen's F is taken over.
  bool is_seen(const kept_event& ev) const;

  /// Sliding and tumbling windows: tail(W). REQUIRES: such a window.
  int64_t tail() const { return tail_; }

private:
  bool passes_filter(const kept_event& ev) const;
  std::string entity_of(const kept_event& ev) const;

  const feature_def& f_;
  const std::vector<kept_event>& events_;
  int64_t tail_ = 0;
  bool needs_item_ = false;
  bool needs_category_ = false;
  bool needs_region_ = false;
  bool needs_campaign_ = false;
  bool needs_price_ = false;
  bool needs_amount_ = false;
  std::unordered_map<std::string, int64_t> first_seen_;  // first_after_seen: F per entity
};

/// (key, field) that a sequence feature's events render to: each is one sequence.
using event_slot = std::pair<std::string, std::string>;

/// The events `s` counts, as log indexes sorted by (ts, log order), by the slot
/// they render to; an event missing a template variable is in none. `blank_var`
/// (when not "") renders as "" (intervals' `n`, filled in per value).
std::map<event_slot, std::vector<size_t>> sequences_by_slot(const feature_events& s,
                                                            std::string_view blank_var = {});

}  // namespace rtfeat::oracle
