// The hash maps of the hot path: open addressing (abseil's Swiss tables), so a
// lookup is one probe into a flat array instead of a chase through linked
// nodes, and string keys can be looked up by std::string_view without a copy.
// Values move on rehash: never keep a reference across an insert.
// erase(iterator) returns void: erase(it++) while iterating.
#pragma once

#include <string>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

namespace rtfeat {

template <class Key, class Value>
using flat_map = absl::flat_hash_map<Key, Value>;

template <class Value>
using string_map = absl::flat_hash_map<std::string, Value>;

using string_set = absl::flat_hash_set<std::string>;

using absl::erase_if;

}  // namespace rtfeat
