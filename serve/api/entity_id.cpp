// Entity id validation (see entity_id.hpp).
#include "serve/api/entity_id.hpp"

namespace rtfeat::serve {

namespace {

bool is_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
         || c == '.' || c == ':';
}

}  // namespace

std::string id_error(std::string_view id) {
  if (id.empty()) return "id is empty";
  if (id.size() > max_id_bytes) return "id is over " + std::to_string(max_id_bytes) + " bytes";
  for (char c : id)
    if (!is_safe(c)) return "id has a character outside [A-Za-z0-9_.:-]";
  return "";
}

}  // namespace rtfeat::serve
