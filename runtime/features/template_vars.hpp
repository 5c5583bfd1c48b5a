// Template variables taken from an event (docs/features.md): the one place
// that maps ${name} to event fields for every feature state.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/key_template.hpp"
#include "runtime/event.hpp"

namespace rtfeat {

/// The event field a ${name} reads; `other` for names an event does not carry
/// (band, n, k: given by the caller).
enum class event_var_kind : uint8_t { literal, user_id, item_id, category_id, campaign_id, region, behavior, other };

inline event_var_kind event_var_of(std::string_view name) {
  if (name == "user_id") return event_var_kind::user_id;
  if (name == "item_id") return event_var_kind::item_id;
  if (name == "category_id") return event_var_kind::category_id;
  if (name == "campaign_id") return event_var_kind::campaign_id;
  if (name == "region") return event_var_kind::region;
  if (name == "behavior") return event_var_kind::behavior;
  return event_var_kind::other;
}

/// Value of a variable of kind `v` in `e`, viewed in place (a category id is
/// written into `digits`); "" when the event does not carry it. No allocation:
/// rendering runs per event.
inline std::string_view event_var(const event& e, event_var_kind v, char (&digits)[24]) {
  switch (v) {
    case event_var_kind::user_id: return e.user_id;
    case event_var_kind::item_id: return e.item_id;
    case event_var_kind::category_id: {
      if (!e.has_category) return {};
      auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
      return {digits, static_cast<size_t>(r.ptr - digits)};
    }
    case event_var_kind::campaign_id: return e.campaign_id;
    case event_var_kind::region: return e.region;
    case event_var_kind::behavior: return to_string(e.kind);
    default: return {};
  }
}

/// A key template with each ${name} resolved once to the event field it reads:
/// rendering per event appends views, it does not compare variable names.
class event_template {
public:
  event_template() = default;
  explicit event_template(key_template t) : source_(std::move(t)) {
    for (const auto& p : source_.parts())
      parts_.push_back({p.text, p.is_var ? event_var_of(p.text) : event_var_kind::literal});
  }

  const key_template& source() const { return source_; }
  bool empty() const { return parts_.empty(); }

  /// Appends the rendered template to `out`; `lookup(name)` gives each variable's value.
  template <class Lookup>
  void render(std::string& out, Lookup&& lookup) const {
    source_.render(out, lookup);
  }

  /// Renders from `e` into `out` (cleared first), with ${extra_name} = `extra`;
  /// false when a variable the template names is missing from the event.
  bool render(const event& e, std::string& out, std::string_view extra_name = {}, std::string_view extra = {}) const {
    out.clear();
    char digits[24];
    for (const auto& p : parts_) {
      if (p.var == event_var_kind::literal) {
        out += p.text;
        continue;
      }
      auto v = (p.var == event_var_kind::other && !extra_name.empty() && p.text == extra_name)
                 ? extra
                 : event_var(e, p.var, digits);
      if (v.empty()) return false;
      out += v;
    }
    return true;
  }

private:
  struct part {
    std::string text;  // literal text, or the variable's name
    event_var_kind var = event_var_kind::literal;
  };
  key_template source_;
  std::vector<part> parts_;
};

/// Renders `t` from `e`, with `extra_name` = `extra` (band, n, k); false when a
/// variable the template names is missing from the event.
inline bool render_from(const event_template& t, const event& e, std::string& out,
                        std::string_view extra_name = {}, std::string_view extra = {}) {
  return t.render(e, out, extra_name, extra);
}

}  // namespace rtfeat
