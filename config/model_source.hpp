// The `source` expression of a model input, syntax only:
//   context.NAME | ENTITY.offline.NAME | len(ENTITY.FEATURE)
//   | ENTITY.FEATURE[.VALUE][[INDEX]]   with INDEX = "text" | integer | ENTITY.offline.NAME
// ENTITY is user or item; NAME, FEATURE, VALUE are [A-Za-z_][A-Za-z0-9_]*. Whether the
// names exist is model_config's business (against the catalogue).
#pragma once

#include <string>
#include <string_view>

#include "config/model_config.hpp"

namespace rtfeat {

struct parsed_source {
  input_kind kind = input_kind::feature;
  model_entity entity = model_entity::user;
  std::string name;   // feature, length: the feature; offline: the column; context: the name
  std::string sub;    // feature: the named value after the feature, "" when none
  input_index index;  // feature: the [index], from = none when absent
};

/// Parses `text`; false with a message saying what was expected where.
bool parse_model_source(std::string_view text, parsed_source& out, std::string& error);

}  // namespace rtfeat
