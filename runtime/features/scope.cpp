// Routing keys per feature scope and their interning (see feature_state.hpp).
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

void scope_interners::intern(const event& e, uint32_t scope_mask, ids& out) {
  for (size_t s = 0; s < feature_scope_count; ++s) {
    auto scope = static_cast<feature_scope>(s);
    out[s] = (scope_mask & scope_bit(scope)) != 0 && scope_key(scope, e, key_) ? interners_[s].intern(key_) : no_entity;
  }
}

void scope_interners::release_unused(const ids& in) {
  for (size_t s = 0; s < feature_scope_count; ++s) interners_[s].release_if_unused(in[s]);
}

void feature_state::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  entity_id id = scope_key(scope_, e, key_) ? ids_->intern(key_) : no_entity;
  add_to(id, e, wm_at_read, seq);
  ids_->release_if_unused(id);
}

}  // namespace rtfeat
