// Entity ids as serve accepts them (SPEC §6): at most 128 bytes of a safe
// charset, so an id can never break out of its key's hash tag or a log line.
#pragma once

#include <string>
#include <string_view>

namespace rtfeat::serve {

inline constexpr size_t max_id_bytes = 128;

/// "" when `id` is acceptable, else why not ("id is empty", "id is over 128 bytes", ...).
std::string id_error(std::string_view id);

}  // namespace rtfeat::serve
