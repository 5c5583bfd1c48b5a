// Batch body parsing (see batch_request.hpp).
#include "serve/api/batch_request.hpp"

#include "serve/api/json_body.hpp"

namespace rtfeat::serve {

bool parse_batch_request(std::string_view body, batch_request& out, std::string& error) {
  out = batch_request{};
  simdjson::dom::object obj;
  if (!parse_json_object(body, obj, error)) return false;
  for (auto [key, value] : obj) {
    std::vector<std::string>* list = nullptr;
    for (size_t t = 0; t < entity_type_count; ++t)
      if (key == plural(static_cast<entity_type>(t))) list = &out.ids[t];
    if (key == "features") list = &out.features, out.has_features = true;
    if (list == nullptr)
      return error = "unknown key '" + std::string(key) + "' (users, items, categories, features)", false;
    if (!read_string_array(value, key, *list, error)) return false;
  }
  return true;
}

}  // namespace rtfeat::serve
