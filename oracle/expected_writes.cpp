// How evaluators' results become the expected state: typed puts into one
// feature's own state, then a merge into the catalogue's state that refuses
// two features writing the same hash field or the same non-hash key.
#include <algorithm>
#include <array>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

constexpr std::array<std::string_view, value_type_count> type_names{"hash", "list", "zset",
                                                                    "string", "hyperloglog"};

void keep_ttl(std::map<std::string, int64_t>& ttls, const std::string& key, int64_t ttl_s) {
  if (ttl_s <= 0) return;
  auto& t = ttls[key];
  t = std::max(t, ttl_s);
}

void clash(expected_state& s, const std::string& what) {
  if (s.conflict.empty()) s.conflict = what;
}

}  // namespace

std::string_view to_string(value_type t) { return type_names.at(static_cast<size_t>(t)); }

void put_field(expected_state& out, const std::string& key, const std::string& field,
               std::string value, int64_t ttl_s) {
  auto [it, fresh] = out.keys.try_emplace(key, field_map{});
  auto* fields = std::get_if<field_map>(&it->second);
  if (fields == nullptr)
    return clash(out, "key '" + key + "' is written as a hash and as a "
                        + std::string(to_string(type_of(it->second))));
  (*fields)[field] = std::move(value);
  keep_ttl(out.ttl_s, key, ttl_s);
}

void put_value(expected_state& out, const std::string& key, expected_value value,  // NOLINT(performance-unnecessary-value-param): moved into the map
               int64_t ttl_s) {
  auto [it, fresh] = out.keys.try_emplace(key, std::move(value));
  if (!fresh) return clash(out, "key '" + key + "' is written twice");
  keep_ttl(out.ttl_s, key, ttl_s);
}

// Moves `part` (one feature's values) into `into`; records the first clash.
void merge_part(expected_state& into, expected_state& part, const std::string& feature) {
  if (!part.conflict.empty()) clash(into, "feature '" + feature + "': " + part.conflict);
  for (auto it = part.keys.begin(); it != part.keys.end();) {
    auto next = std::next(it);
    auto found = into.keys.find(it->first);
    auto* have = found == into.keys.end() ? nullptr : std::get_if<field_map>(&found->second);
    auto* add = std::get_if<field_map>(&it->second);
    if (found == into.keys.end()) {
      into.keys.insert(part.keys.extract(it));
    } else if (have == nullptr || add == nullptr) {
      clash(into, std::string("feature '").append(feature).append("' writes key '").append(it->first).append("' as a ")
                    .append(to_string(type_of(it->second))).append(", which an earlier feature also writes"));
    } else {
      for (auto& [field, value] : *add)
        if (!have->try_emplace(field, std::move(value)).second)
          clash(into, std::string("feature '").append(feature).append("' writes field '").append(field)
                        .append("' of key '").append(it->first).append("', which an earlier feature also writes"));
    }
    it = next;
  }
  for (const auto& [key, ttl] : part.ttl_s) keep_ttl(into.ttl_s, key, ttl);
  for (auto& [key, fields] : part.undefined_fields) into.undefined_fields[key].merge(fields);
}

}  // namespace rtfeat::oracle
