// Human-readable summaries of an opaque snapshot body for `rtfeat checkpoints
// inspect`: a hex dump of its first bytes and, when the bytes are msgpack, the shape
// of the top-level objects. This is the only checkpoint code that includes msgpack.
#pragma once

#include <string>
#include <string_view>

namespace rtfeat {

/// Classic hex dump ("00000000  82 a3 6b 67 ...  |..kg|") of the first `max_bytes`.
std::string hex_dump(std::string_view bytes, size_t max_bytes);

/// One line per top-level msgpack object (up to `max_objects`), e.g.
/// "#0 map of 1200 entries (keys: str)"; or why the bytes are not msgpack. Never throws.
std::string describe_msgpack(std::string_view bytes, size_t max_objects);

}  // namespace rtfeat
