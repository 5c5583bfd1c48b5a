// Internal to the model config loader: a parsed source checked against the
// feature catalogue and turned into what to look up (the Redis value, its key
// and field templates, the index's variable).
#pragma once

#include <string>

#include "config/feature_catalogue.hpp"
#include "config/model_config.hpp"
#include "config/model_source.hpp"

namespace rtfeat {

/// Fills the source-derived members of `in` (kind, entity, feature, sub, index, column and the
/// Redis location); false with a message when the catalogue has no such value.
bool resolve_model_input(const parsed_source& src, const feature_catalogue& catalogue,
                         model_input& in, std::string& error);

}  // namespace rtfeat
