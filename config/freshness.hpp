// The `_ts` freshness field of entity hashes (docs/semantics.md "Freshness"):
// its name and which entity a hash key template belongs to. Plain functions of
// the catalogue, shared by the engine, the oracle and serving.
#pragma once

#include <optional>
#include <string_view>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"

namespace rtfeat {

/// The hash field that holds the event time (epoch ms) of the newest event behind
/// the hash's values.
inline constexpr std::string_view freshness_field = "_ts";

/// The entity whose hash `t` names: `user` when it names ${user_id}; else `item`
/// when it names ${item_id}; else `campaign_region` when it names ${campaign_id}
/// or ${region}; else `category` when it names ${category_id}; else none (a
/// template naming no entity id has no freshness).
std::optional<entity_kind> entity_of_template(const key_template& t);

}  // namespace rtfeat
