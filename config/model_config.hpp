// The model config (model.toml) of POST /v1/predict: which XGBoost model, and
// the model's feature vector in order, each input naming where its value comes
// from (a real-time feature, an offline column, the request's context). Loading
// checks every source against the feature catalogue, so a typo stops serve at
// start instead of feeding the model a silent default. Syntax: docs/serving.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"

namespace rtfeat {

/// The two entities of a prediction: the request's user and one candidate item.
enum class model_entity : uint8_t { user, item };

/// What an input reads.
enum class input_kind : uint8_t {
  feature,  // a real-time value of the user or the item: `item.item_popularity.trend_score`
  length,   // entries of a sequence feature: `len(user.user_browsed_categories)`
  offline,  // a column of the entity's offline table (rtfeat materialize): `item.offline.price`
  context,  // a number of the request's `context` object: `context.hour`
};

/// The Redis value behind a real-time input, as the catalogue writes it.
enum class redis_value : uint8_t { hash_field, string, hyperloglog, list, zset };

/// The group of an indexed (grouped) feature: a literal, or an offline column read per row.
struct input_index {
  enum class from_kind : uint8_t { none, literal, offline };
  from_kind from = from_kind::none;
  model_entity entity = model_entity::item;  // offline: whose table
  std::string text;  // literal: the group ("0-50", "17", "2"); offline: the column
};

/// One entry of the feature vector, parsed and checked against the catalogue.
struct model_input {
  std::string name;    // unique within the model (XGBoost's feature name)
  int line = 0;        // in model.toml, for messages
  std::string source;  // as written, for messages and metrics
  input_kind kind = input_kind::feature;
  model_entity entity = model_entity::user;  // feature, length, offline
  std::string feature;                       // feature, length: the catalogue feature's name
  std::string sub;     // feature: "" = the main value, else a named one (trend_score, click_pct)
  input_index index;   // feature: the group, when the feature is grouped
  std::string column;  // offline: the column; context: the name
  double default_value = 0;  // used when the value is absent; NaN = missing for XGBoost
  // Resolved from the catalogue (feature and length):
  redis_value where = redis_value::hash_field;
  std::string key;        // the key template, e.g. "item:feature:{${item_id}}"
  key_template field;     // hash_field: the field ("trend_score", "cat:${category_id}")
  std::string index_var;  // the variable of `field` the index fills ("category_id", "band", "n")
};

struct model_config {
  std::string path;                 // the model.toml
  std::string model_file;           // `model`, relative paths taken from the toml's directory
  std::string id;                   // `id`: reported with every prediction
  std::vector<model_input> inputs;  // the model's feature vector, in order
};

/// Loads `path` and checks every input against `catalogue`. Errors read
/// "model.toml:12: unknown feature 'user_categry_clicks' ..." and nothing is served.
bool load_model_config(const std::string& path, const feature_catalogue& catalogue,
                       model_config& out, std::string& error);

std::string_view to_string(model_entity e);

}  // namespace rtfeat
