// The body of POST /v1/features: {"users": [...], "items": [...],
// "categories": [...], "features": [...]}, read with simdjson. Errors say
// what is wrong and, for malformed JSON, at which byte.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "serve/catalogue/served_catalogue.hpp"

namespace rtfeat::serve {

struct batch_request {
  std::array<std::vector<std::string>, entity_type_count> ids;  // by entity_type
  std::vector<std::string> features;
  bool has_features = false;  // "features" given: only those
};

/// False with a message ("malformed JSON at byte 17: ...", "users must be an array of strings").
bool parse_batch_request(std::string_view body, batch_request& out, std::string& error);

}  // namespace rtfeat::serve
