// JSON request bodies (see json_body.hpp). simdjson's DOM parser validates the
// whole body (trailing bytes included); it does not say where an error is, so
// a failed body is walked again with the On-Demand API, which does.
#include "serve/api/json_body.hpp"

namespace rtfeat::serve {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

namespace {

/// Visits every value so that On-Demand reaches the first error.
sj::error_code walk(od::value v) {
  od::json_type type;
  if (auto e = v.type().get(type); e != sj::SUCCESS) return e;
  switch (type) {
    case od::json_type::object: {
      od::object obj;
      if (auto e = v.get_object().get(obj); e != sj::SUCCESS) return e;
      for (auto field : obj) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key); e != sj::SUCCESS) return e;
        if (auto e = walk(field.value()); e != sj::SUCCESS) return e;
      }
      return sj::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if (auto e = v.get_array().get(arr); e != sj::SUCCESS) return e;
      for (auto element : arr) {
        od::value inner;
        if (auto e = element.get(inner); e != sj::SUCCESS) return e;
        if (auto e = walk(inner); e != sj::SUCCESS) return e;
      }
      return sj::SUCCESS;
    }
    case od::json_type::string: return v.get_string().error();
    case od::json_type::number: return v.get_double().error();
    case od::json_type::boolean: return v.get_bool().error();
    case od::json_type::null: return v.is_null().error();
  }
  return sj::SUCCESS;
}

}  // namespace

std::string locate_json_error(const sj::padded_string& text, sj::error_code dom_error) {
  thread_local od::parser parser;
  size_t offset = text.size();
  od::document doc;
  if (parser.iterate(text).get(doc) == sj::SUCCESS) {
    od::value root;
    // Walking stops at the first error; where it stopped is what matters.
    if (doc.get_value().get(root) == sj::SUCCESS) (void)walk(root);
    const char* at = nullptr;
    if (doc.current_location().get(at) == sj::SUCCESS && at != nullptr)
      offset = static_cast<size_t>(at - text.data());
  }
  return "malformed JSON at byte " + std::to_string(offset) + ": " + sj::error_message(dom_error);
}

bool parse_json_object(std::string_view body, sj::dom::object& out, std::string& error) {
  thread_local sj::dom::parser parser;
  sj::padded_string text(body);
  sj::dom::element doc;
  if (auto e = parser.parse(text).get(doc); e != sj::SUCCESS) return error = locate_json_error(text, e), false;
  if (doc.get_object().get(out) != sj::SUCCESS) return error = "the body must be a JSON object", false;
  return true;
}

bool read_string_array(sj::dom::element v, std::string_view key, std::vector<std::string>& out, std::string& error) {
  sj::dom::array arr;
  if (v.get_array().get(arr) != sj::SUCCESS) return error = std::string(key) + " must be an array of strings", false;
  out.reserve(arr.size());
  for (auto element : arr) {
    std::string_view s;
    if (element.get_string().get(s) != sj::SUCCESS)
      return error = std::string(key) + " must be an array of strings", false;
    out.emplace_back(s);
  }
  return true;
}

}  // namespace rtfeat::serve
