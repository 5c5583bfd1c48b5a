// Routing keys per feature scope and their interning (see feature_state.hpp).
#include "runtime/features/feature_state.hpp"

#include <charconv>

namespace rtfeat {

std::optional<std::string_view> scope_key_view(feature_scope scope, const event& e, std::string& buffer) {
  switch (scope) {
    case feature_scope::user: return std::string_view(e.user_id);
    case feature_scope::category: {
      if (!e.has_category) return std::nullopt;
      char digits[24];
      auto r = std::to_chars(digits, digits + sizeof digits, e.category_id);
      buffer.assign(digits, r.ptr);
      return std::string_view(buffer);
    }
    case feature_scope::item:
      if (e.item_id.empty()) return std::nullopt;
      return std::string_view(e.item_id);
    case feature_scope::all: return std::string_view("all");
    case feature_scope::campaign_region:
      if (e.campaign_id.empty() || e.region.empty()) return std::nullopt;
      buffer.assign(e.campaign_id);
      buffer += '\x1f';
      buffer += e.region;
      return std::string_view(buffer);
  }
  return std::nullopt;
}

bool scope_key(feature_scope scope, const event& e, std::string& out) {
  auto key = scope_key_view(scope, e, out);
  if (!key) return false;
  if (key->data() != out.data()) out.assign(*key);  // else the key was built in `out`
  return true;
}

void scope_interners::intern(const event& e, uint32_t scope_mask, ids& out) {
  for (size_t s = 0; s < feature_scope_count; ++s) {
    auto scope = static_cast<feature_scope>(s);
    std::optional<std::string_view> key;
    if ((scope_mask & scope_bit(scope)) != 0) key = scope_key_view(scope, e, key_);
    out[s] = key ? interners_[s].intern(*key) : no_entity;
  }
}

void scope_interners::release_unused(const ids& in) {
  for (size_t s = 0; s < feature_scope_count; ++s) interners_[s].release_if_unused(in[s]);
}

void feature_state::add(const event& e, int64_t wm_at_read, uint64_t seq) {
  auto key = scope_key_view(scope_, e, key_);
  entity_id id = key ? ids_->intern(*key) : no_entity;
  add_to(id, e, wm_at_read, seq);
  ids_->release_if_unused(id);
}

}  // namespace rtfeat
