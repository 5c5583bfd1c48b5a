// Entity ids (user_id, item_id) as rtfeat accepts them outside the event stream:
// in offline tables (`rtfeat materialize`) and in serve's requests (SPEC §6). At most
// 128 bytes of [A-Za-z0-9_.:-], so an id can never break out of a Redis key template.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rtfeat {

inline constexpr size_t max_entity_id_bytes = 128;

/// "" when `id` is a valid entity id, else why not ("empty id", "id of 130 bytes (at most 128)",
/// ...).
std::string entity_id_problem(std::string_view id);

}  // namespace rtfeat
