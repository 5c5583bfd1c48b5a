// The model's feature vector for one (user, candidate item) pair: each input of
// model.toml evaluated against a lookup the server implements on top of its Redis
// replies, with the input's default wherever the value is absent. Kept apart from
// the server so that evaluation is tested without Redis or HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "config/model_config.hpp"

namespace rtfeat {

/// One real-time value an input needs, resolved to where the engine writes it.
struct feature_ref {
  model_entity entity = model_entity::user;
  std::string_view feature;  // the catalogue feature, e.g. "user_category_clicks"
  std::string_view sub;      // "" = the feature's main value, else a named value ("trend_score")
  std::string_view index;    // the group ("17", "0-50", "2"); "" when the feature is not grouped
  redis_value where = redis_value::hash_field;  // hash_field, string or hyperloglog (PFCOUNT)
  std::string_view key;    // the catalogue's key template, e.g. "item:feature:{${item_id}}"
  std::string_view field;  // hash_field: the field, rendered ("cat:17", "trend_score"); else ""
};

/// What the vector reads, for the request's user and one candidate item. The server
/// implements it over the Redis replies of the request; tests with a fake.
/// Each call answers nullopt when the value is absent (no key, no field).
/// REQUIRES: calls are cheap lookups into data already fetched (no I/O).
class vector_inputs {
public:
  virtual ~vector_inputs() = default;

  /// The number a real-time feature holds (a hash field, a string, a HyperLogLog's count).
  virtual std::optional<double> feature(const feature_ref& ref) const = 0;

  /// The number of entries of a sequence feature (LLEN of a list, ZCARD of a sorted set).
  virtual std::optional<uint64_t> length(model_entity entity, std::string_view feature) const = 0;

  /// A cell of the entity's offline row (`user:offline:{id}` / `item:offline:{id}`), as stored.
  virtual std::optional<std::string_view> offline(model_entity entity,
                                                  std::string_view column) const = 0;

  /// A number of the request's `context` object.
  virtual std::optional<double> context(std::string_view name) const = 0;
};

enum class absent_reason : uint8_t {
  missing,       // no value (or, for an indexed feature, no value for its index column)
  not_a_number,  // an offline cell that is not a number, or a non-finite value
};

/// An input that took its default.
struct absent_input {
  uint32_t input = 0;  // index into model_config::inputs
  absent_reason reason = absent_reason::missing;
};

/// Writes input i's value (or its default) into row[i] and appends every input that
/// took its default to `absent`, in input order. Values are converted to float, as
/// XGBoost reads them.
/// REQUIRES: row.size() == cfg.inputs.size().
void fill_row(const model_config& cfg, const vector_inputs& inputs, std::span<float> row,
              std::vector<absent_input>& absent);

/// A number in text as the engine and the offline tables write it ("12", "62.5000",
/// "-3.5"); nullopt for anything else (empty, trailing bytes, inf, nan).
std::optional<double> parse_number(std::string_view text);

}  // namespace rtfeat
