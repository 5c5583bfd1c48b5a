// The feature catalogue as `rtfeat serve` reads it: per entity (user, item,
// category) the Redis keys to fetch and, per feature, where in them its value
// lies and what JSON type it has. Built from config/features.toml only, so a
// key template, Redis type or value type is never described twice.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "runtime/key_update.hpp"

namespace rtfeat::serve {

enum class entity_type : uint8_t { user, item, category };
inline constexpr size_t entity_type_count = 3;
/// "user", "item", "category".
std::string_view to_string(entity_type e);
/// The plural used in routes and batch bodies: "users", "items", "categories".
std::string_view plural(entity_type e);

/// JSON type of one value.
enum class scalar_type : uint8_t { integer, number, text };

/// A hash field template: a literal, or prefix ${var} suffix.
struct field_pattern {
  std::string prefix;
  std::string suffix;
  bool has_var = false;
  /// True when `field` is this field; `var` receives the variable's text.
  bool matches(std::string_view field, std::string_view& var) const;
};

/// How a part's Redis data becomes JSON.
enum class part_shape : uint8_t {
  scalar,       // one hash field or a string key: a number
  group,        // hash fields of a pattern: {"<var>": value, ...}
  ordered,      // hash fields of a pattern with a number ${n}: [value_1, value_2, ...]
  list,         // a Redis list, head (newest) first: [value, ...]
  timeline,     // a sorted set, highest score first: [{"member": m, "ts": score}, ...]
  cardinality,  // a HyperLogLog: its PFCOUNT
};

/// One place a feature's value comes from.
struct value_part {
  std::string name;        // key inside the feature's object when it has several parts
  size_t key = 0;          // index into served_entity::keys
  field_pattern field;     // hash parts
  part_shape shape = part_shape::scalar;
  scalar_type type = scalar_type::integer;
  bool group_by_field = false;  // group keys are whole field names ("p10"), not the variable
};

struct served_feature {
  std::string name;
  std::vector<value_part> parts;  // several: the value is an object keyed by part name
};

/// One Redis key template of an entity: key = prefix + id + suffix.
struct served_key {
  std::string prefix;
  std::string suffix;
  redis_type type = redis_type::hash;
  bool freshness = false;  // a hash the engine writes `_ts` into (docs/semantics.md)
};

struct served_entity {
  std::vector<served_key> keys;
  std::vector<served_feature> features;
  /// Index of feature `name`, or -1.
  int find(std::string_view name) const;
};

struct served_catalogue {
  std::array<served_entity, entity_type_count> entities;
  /// Features that cannot be served by an entity id, and why (logged at start).
  std::vector<std::string> skipped;
  const served_entity& of(entity_type e) const { return entities[static_cast<size_t>(e)]; }
};

/// REQUIRES: `catalogue` passed load_feature_catalogue. False with a message
/// when two features' hash fields cannot be told apart.
bool build_served_catalogue(const feature_catalogue& catalogue, served_catalogue& out, std::string& error);

}  // namespace rtfeat::serve
