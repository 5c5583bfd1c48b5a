// Template variables taken from an event (docs/features.md): the one place
// that maps ${name} to event fields for every feature state.
#pragma once

#include <string>

#include "config/key_template.hpp"
#include "runtime/event.hpp"

namespace rtfeat {

/// Value of ${name} in `e`; "" for names an event does not carry.
inline std::string event_var(const event& e, const std::string& name) {
  if (name == "user_id") return e.user_id;
  if (name == "item_id") return e.item_id;
  if (name == "category_id") return e.has_category ? std::to_string(e.category_id) : std::string();
  if (name == "campaign_id") return e.campaign_id;
  if (name == "region") return e.region;
  if (name == "behavior") return std::string(to_string(e.kind));
  return {};
}

/// Renders `t` from `e`, with `extra_name` = `extra` (band, n, k); false when a
/// variable the template names is missing from the event.
inline bool render_from(const key_template& t, const event& e, std::string& out,
                        const std::string& extra_name = {}, const std::string& extra = {}) {
  out.clear();
  bool complete = true;
  t.render(out, [&](const std::string& name) {
    auto v = (!extra_name.empty() && name == extra_name) ? extra : event_var(e, name);
    if (v.empty()) complete = false;
    return v;
  });
  return complete;
}

}  // namespace rtfeat
