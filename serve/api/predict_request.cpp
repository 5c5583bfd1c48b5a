// Predict body parsing (see predict_request.hpp).
#include "serve/api/predict_request.hpp"

#include <cmath>

#include <simdjson.h>

#include "serve/api/json_body.hpp"

namespace rtfeat::serve {

namespace sj = simdjson;

bool parse_predict_request(std::string_view body, predict_request& out, std::string& error) {
  out = predict_request{};
  sj::dom::object obj;
  if (!parse_json_object(body, obj, error)) return false;
  bool has_user = false, has_items = false;
  for (auto [key, value] : obj) {
    if (key == "user_id") {
      std::string_view s;
      if (value.get_string().get(s) != sj::SUCCESS) return error = "user_id must be a string", false;
      out.user_id = s, has_user = true;
    } else if (key == "item_ids") {
      if (!read_string_array(value, key, out.item_ids, error)) return false;
      has_items = true;
    } else if (key == "context") {
      sj::dom::object ctx;
      if (value.get_object().get(ctx) != sj::SUCCESS) return error = "context must be an object of numbers", false;
      for (auto [name, v] : ctx) {
        double d = 0;
        if (v.get_double().get(d) != sj::SUCCESS || !std::isfinite(d))
          return error = "context." + std::string(name) + " must be a number", false;
        out.context.emplace_back(std::string(name), d);
      }
    } else if (key == "return_inputs") {
      if (value.get_bool().get(out.return_inputs) != sj::SUCCESS) return error = "return_inputs must be true or false", false;
    } else {
      return error = "unknown key '" + std::string(key) + "' (user_id, item_ids, context, return_inputs)", false;
    }
  }
  if (!has_user) return error = "user_id is required", false;
  if (!has_items) return error = "item_ids is required", false;
  return true;
}

}  // namespace rtfeat::serve
