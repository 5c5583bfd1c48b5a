// Behaviour names <-> enum; the only place that spells them.
#include "runtime/event.hpp"

#include <array>

namespace rtfeat {

namespace {
constexpr std::array<std::string_view, 6> behavior_names{
  "view", "click", "cart", "fav", "purchase", "search"};
}  // namespace

bool parse_behavior(std::string_view name, behavior& out) {
  for (size_t i = 0; i < behavior_names.size(); ++i) {
    if (behavior_names[i] == name) {
      out = static_cast<behavior>(i);
      return true;
    }
  }
  return false;
}

std::string_view to_string(behavior b) {
  return behavior_names.at(static_cast<size_t>(b));
}

}  // namespace rtfeat
