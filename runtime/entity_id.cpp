// Entity id validation (see entity_id.hpp).
#include "runtime/entity_id.hpp"

#include <cstdio>

namespace rtfeat {

namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
         || c == '.' || c == ':' || c == '-';
}

}  // namespace

std::string entity_id_problem(std::string_view id) {
  if (id.empty()) return "empty id";
  if (id.size() > max_entity_id_bytes)
    return "id of " + std::to_string(id.size()) + " bytes (at most "
           + std::to_string(max_entity_id_bytes) + ")";
  for (size_t i = 0; i < id.size(); ++i) {
    if (is_id_char(id[i])) continue;
    auto byte = static_cast<unsigned char>(id[i]);
    char what[16];
    if (byte >= 0x20 && byte < 0x7f)
      std::snprintf(what, sizeof what, "'%c'", id[i]);
    else
      std::snprintf(what, sizeof what, "byte 0x%02x", byte);
    return "id with " + std::string(what) + " at byte " + std::to_string(i + 1)
           + " (allowed: A-Z a-z 0-9 _ . : -)";
  }
  return {};
}

}  // namespace rtfeat
