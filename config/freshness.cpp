// entity_of_template (see freshness.hpp): the precedence order is the definition.
#include "config/freshness.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace rtfeat {

std::optional<entity_kind> entity_of_template(const key_template& t) {
  auto vars = t.variables();
  auto names = [&](std::string_view v) { return std::find(vars.begin(), vars.end(), v) != vars.end(); };
  if (names("user_id")) return entity_kind::user;
  if (names("item_id")) return entity_kind::item;
  if (names("campaign_id") || names("region")) return entity_kind::campaign_region;
  if (names("category_id")) return entity_kind::category;
  return std::nullopt;
}

}  // namespace rtfeat
