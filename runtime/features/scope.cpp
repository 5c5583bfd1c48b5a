// Routing keys per feature scope (see feature_state.hpp).
#include "runtime/features/feature_state.hpp"

namespace rtfeat {

bool scope_key(feature_scope scope, const event& e, std::string& out) {
  switch (scope) {
    case feature_scope::user: out = e.user_id; return true;
    case feature_scope::category:
      if (!e.has_category) return false;
      out = std::to_string(e.category_id);
      return true;
    case feature_scope::item:
      if (e.item_id.empty()) return false;
      out = e.item_id;
      return true;
    case feature_scope::all: out = "all"; return true;
    case feature_scope::campaign_region:
      if (e.campaign_id.empty() || e.region.empty()) return false;
      out = e.campaign_id;
      out += '\x1f';
      out += e.region;
      return true;
  }
  return false;
}

}  // namespace rtfeat
