// Builds the serving view of the catalogue (see served_catalogue.hpp). Which
// JSON type each aggregation has is decided here and documented in
// docs/serving.md "Typing".
#include "serve/catalogue/served_catalogue.hpp"

#include <optional>

#include "config/key_template.hpp"

namespace rtfeat::serve {

std::string_view to_string(entity_type e) {
  switch (e) {
    case entity_type::user: return "user";
    case entity_type::item: return "item";
    case entity_type::category: return "category";
  }
  return "?";
}

std::string_view plural(entity_type e) {
  switch (e) {
    case entity_type::user: return "users";
    case entity_type::item: return "items";
    case entity_type::category: return "categories";
  }
  return "?";
}

bool field_pattern::matches(std::string_view field, std::string_view& var) const {
  if (!has_var) return field == prefix;
  if (field.size() <= prefix.size() + suffix.size()) return false;
  if (!field.starts_with(prefix) || !field.ends_with(suffix)) return false;
  var = field.substr(prefix.size(), field.size() - prefix.size() - suffix.size());
  return true;
}

int served_entity::find(std::string_view name) const {
  for (size_t i = 0; i < features.size(); ++i)
    if (features[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

using agg = aggregation_kind;

key_template parse(const std::string& text) {
  key_template t;
  std::string ignored;
  parse_key_template(text, t, ignored);  // validated when the catalogue loaded
  return t;
}

/// The entity a key template is read by, and the key around its id; nullopt
/// (with `why`) when the key needs more than the entity's id.
std::optional<std::pair<entity_type, served_key>> key_of(const std::string& text, std::string& why) {
  auto t = parse(text);
  std::optional<entity_type> entity;
  served_key k;
  bool seen_var = false;
  for (const auto& p : t.parts()) {
    if (!p.is_var) {
      (seen_var ? k.suffix : k.prefix) += p.text;
      continue;
    }
    if (seen_var) return why = "key '" + text + "' needs more than one id", std::nullopt;
    seen_var = true;
    if (p.text == "user_id") entity = entity_type::user;
    else if (p.text == "item_id") entity = entity_type::item;
    else if (p.text == "category_id") entity = entity_type::category;
    else return why = "key '" + text + "' is not read by a user, item or category id", std::nullopt;
  }
  if (!entity) return why = "key '" + text + "' names no entity id", std::nullopt;
  return std::pair{*entity, k};
}

field_pattern pattern_of(const std::string& text) {
  field_pattern f;
  auto t = parse(text);
  for (const auto& p : t.parts()) {
    if (p.is_var) f.has_var = true;
    else (f.has_var ? f.suffix : f.prefix) += p.text;
  }
  return f;
}

redis_type type_of(const std::string& output_type) {
  if (output_type == "list") return redis_type::list;
  if (output_type == "zset") return redis_type::zset;
  if (output_type == "string") return redis_type::string;
  if (output_type == "hyperloglog") return redis_type::hyperloglog;
  return redis_type::hash;
}

/// JSON type of a windowed aggregate's value (docs/semantics.md: counts are
/// integers, decimals and ratios are written with 4 digits).
scalar_type value_type_of(const feature_def& f) {
  switch (f.aggregation) {
    case agg::count: case agg::histogram: case agg::funnel: case agg::distinct: return scalar_type::integer;
    case agg::sum: return f.value.empty() ? scalar_type::integer : scalar_type::number;
    default: return scalar_type::number;
  }
}

class builder {
public:
  explicit builder(served_catalogue& out) : out_(out) {}

  /// Adds one part of feature `f` read from `key_text`; false when not servable.
  bool add(const feature_def& f, const std::string& key_text, redis_type type, value_part part) {
    std::string why;
    auto key = key_of(key_text, why);
    if (!key) return out_.skipped.push_back(f.name + ": " + why), false;
    auto& entity = out_.entities[static_cast<size_t>(key->first)];
    key->second.type = type;
    key->second.freshness = type == redis_type::hash;
    part.key = key_index(entity, key->second);
    int i = entity.find(f.name);
    if (i < 0) {
      entity.features.push_back({f.name, {}});
      i = static_cast<int>(entity.features.size()) - 1;
    }
    entity.features[static_cast<size_t>(i)].parts.push_back(std::move(part));
    return true;
  }

  /// Two features' fields that could be mistaken for each other in one hash.
  bool check_fields(std::string& error) const {
    for (size_t e = 0; e < entity_type_count; ++e) {
      const auto& entity = out_.entities[e];
      struct written {
        size_t key;
        const field_pattern* field;
        const std::string* feature;
      };
      std::vector<written> seen;
      for (const auto& f : entity.features)
        for (const auto& p : f.parts) {
          if (entity.keys[p.key].type != redis_type::hash) continue;
          if (!p.field.has_var && p.field.prefix == "_ts")
            return error = "feature '" + f.name + "': field '_ts' is reserved for freshness", false;
          for (const auto& w : seen) {
            if (w.key == p.key && overlaps(*w.field, p.field))
              return error = "features '" + *w.feature + "' and '" + f.name + "' write hash fields of "
                             + entity.keys[p.key].prefix + "<id>" + entity.keys[p.key].suffix
                             + " that cannot be told apart",
                     false;
          }
          seen.push_back({p.key, &p.field, &f.name});
        }
    }
    return true;
  }

private:
  static size_t key_index(served_entity& e, const served_key& k) {
    for (size_t i = 0; i < e.keys.size(); ++i)
      if (e.keys[i].prefix == k.prefix && e.keys[i].suffix == k.suffix) return i;
    e.keys.push_back(k);
    return e.keys.size() - 1;
  }
  /// Literal fields are matched before patterns, so only pattern/pattern and
  /// equal literals can be confused.
  static bool overlaps(const field_pattern& a, const field_pattern& b) {
    if (!a.has_var || !b.has_var) return !a.has_var && !b.has_var && a.prefix == b.prefix;
    bool prefix = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
    bool suffix = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
    return prefix && suffix;
  }

  served_catalogue& out_;
};

value_part hash_part(const std::string& name, const std::string& field, scalar_type type) {
  value_part p;
  p.name = name;
  p.field = pattern_of(field);
  p.shape = p.field.has_var ? part_shape::group : part_shape::scalar;
  p.type = type;
  return p;
}

/// The parts of one catalogue feature.
void add_feature(builder& b, const feature_def& f) {
  const auto& o = f.output;
  auto type = type_of(o.type);
  switch (f.aggregation) {
    case agg::percentile_rank: {
      b.add(f, o.key, redis_type::hash, hash_part(f.count_field, f.count_field, scalar_type::integer));
      b.add(f, o.key, redis_type::hash, hash_part(f.rank_field, f.rank_field, scalar_type::number));
      auto deciles = hash_part("deciles", f.deciles.field, scalar_type::integer);
      deciles.group_by_field = true;
      b.add(f, f.deciles.key, redis_type::hash, std::move(deciles));
      return;
    }
    case agg::last_k: {
      value_part p;
      p.shape = type == redis_type::list ? part_shape::list : part_shape::timeline;
      p.type = type == redis_type::list ? scalar_type::integer : scalar_type::text;  // list: category ids
      b.add(f, o.key, type, std::move(p));
      return;
    }
    case agg::distinct: {
      value_part p;
      p.shape = part_shape::cardinality;
      b.add(f, o.key, type, std::move(p));
      return;
    }
    case agg::intervals: {
      auto p = hash_part("gaps", o.field, scalar_type::number);
      if (p.field.has_var) p.shape = part_shape::ordered;
      b.add(f, o.key, type, std::move(p));
      return;
    }
    default: break;
  }
  if (type == redis_type::hash) {
    auto p = hash_part(o.field, o.field, value_type_of(f));
    if (!b.add(f, o.key, type, std::move(p))) return;
  } else {
    value_part p;
    p.name = f.value.empty() ? "value" : f.value;
    p.type = value_type_of(f);
    if (!b.add(f, o.key, type, std::move(p))) return;
  }
  if (f.trend_previous_ms > 0)
    b.add(f, o.key, redis_type::hash, hash_part(f.trend_field, f.trend_field, scalar_type::number));
  if (!f.tier.key.empty())
    b.add(f, f.tier.key, redis_type::hash, hash_part(f.tier.field, f.tier.field, scalar_type::integer));
}

}  // namespace

bool build_served_catalogue(const feature_catalogue& catalogue, served_catalogue& out, std::string& error) {
  out = served_catalogue{};
  builder b(out);
  for (const auto& f : catalogue.features) add_feature(b, f);
  return b.check_fields(error);
}

}  // namespace rtfeat::serve
