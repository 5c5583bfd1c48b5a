// The Kafka key of an event payload (SPEC §4a: key = user_id). One definition
// shared by `rtfeat gen`, `rtfeat produce` and anyone who re-keys raw lines, so
// that the same line always lands in the same partition, malformed or not.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace rtfeat {

/// Reusable; not thread-safe.
class message_key_extractor {
public:
  /// The user_id of `payload` when it is a well-formed JSON object whose
  /// user_id is a non-empty string (the last one if repeated); std::nullopt
  /// (= null key, a random partition) otherwise. The view lives until the next call.
  std::optional<std::string_view> user_id(std::string_view payload);

private:
  simdjson::dom::parser parser_;
  std::string buffer_;  // payload copy with simdjson's padding
  std::string key_;
};

}  // namespace rtfeat
