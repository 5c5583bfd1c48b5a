// Hash-tag check (see cluster_hash_tags.hpp). A tag is the text between the
// first '{' and the next '}' of the rendered key (Redis Cluster spec), so the
// template must read "...{${id}}..." with no '{' before it.
#include "config/cluster_hash_tags.hpp"

#include "config/key_template.hpp"

namespace rtfeat {

namespace {

/// The variable the hash tag of `tmpl` consists of, or "" when the tag is not
/// exactly one ${var} (none at all, literal text, or more than the variable).
std::string tag_variable(const key_template& tmpl) {
  const auto& parts = tmpl.parts();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].is_var) continue;
    auto open = parts[i].text.find('{');
    if (open == std::string::npos) continue;
    bool var_follows = open + 1 == parts[i].text.size() && i + 1 < parts.size() && parts[i + 1].is_var;
    bool closes = var_follows && i + 2 < parts.size() && !parts[i + 2].is_var && parts[i + 2].text.starts_with('}');
    return closes ? parts[i + 1].text : "";
  }
  return "";
}

std::string_view id_of(entity_kind e) {
  switch (e) {
    case entity_kind::user: return "user_id";
    case entity_kind::item: return "item_id";
    case entity_kind::category: return "category_id";
    case entity_kind::campaign_region: return "campaign_id";
  }
  return "";
}

bool check_key(const feature_catalogue& c, const feature_def& f, const std::string& key, std::string_view id,
               std::string& error) {
  key_template tmpl;
  std::string why;
  if (!parse_key_template(key, tmpl, why)) return true;  // the catalogue loader reports it
  if (tag_variable(tmpl) == id) return true;
  error = c.path + ":" + std::to_string(f.line) + ": feature '" + f.name + "': key '" + key
          + "' must carry the hash tag {${" + std::string(id) + "}} (redis.cluster = true: one entity's keys "
          + "share a slot, and entities spread over every master), e.g. 'prefix:{${" + std::string(id) + "}}'";
  return false;
}

}  // namespace

bool check_cluster_hash_tags(const feature_catalogue& catalogue, std::string& error) {
  for (const auto& f : catalogue.features) {
    if (!check_key(catalogue, f, f.output.key, id_of(f.entity), error)) return false;
    if (!f.deciles.key.empty() && !check_key(catalogue, f, f.deciles.key, "category_id", error)) return false;
    if (!f.tier.key.empty() && !check_key(catalogue, f, f.tier.key, id_of(f.entity), error)) return false;
  }
  return true;
}

}  // namespace rtfeat
