// Template variables taken from an event (docs/features.md): the one place
// that maps ${name} to event fields for every feature state.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

#include "config/key_template.hpp"
#include "runtime/event.hpp"

namespace rtfeat {

/// Value of ${name} in `e`, viewed in place (a category id is written into
/// `digits`); "" for names an event does not carry. No allocation: rendering
/// runs per event.
inline std::string_view event_var(const event& e, std::string_view name, char (&digits)[24]) {
  if (name == "user_id") return e.user_id;
  if (name == "item_id") return e.item_id;
  if (name == "category_id") {
    if (!e.has_category) return {};
    auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
    return {digits, static_cast<size_t>(r.ptr - digits)};
  }
  if (name == "campaign_id") return e.campaign_id;
  if (name == "region") return e.region;
  if (name == "behavior") return to_string(e.kind);
  return {};
}

/// Renders `t` from `e`, with `extra_name` = `extra` (band, n, k); false when a
/// variable the template names is missing from the event.
inline bool render_from(const key_template& t, const event& e, std::string& out,
                        const std::string& extra_name = {}, const std::string& extra = {}) {
  out.clear();
  bool complete = true;
  char digits[24];
  t.render(out, [&](const std::string& name) {
    auto v = (!extra_name.empty() && name == extra_name) ? std::string_view(extra) : event_var(e, name, digits);
    if (v.empty()) complete = false;
    return v;
  });
  return complete;
}

}  // namespace rtfeat
