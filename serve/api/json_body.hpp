// JSON request bodies of the serving API, read with simdjson's DOM parser.
// Errors say what is wrong and, for malformed JSON, at which byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace rtfeat::serve {

/// "malformed JSON at byte N: <reason>" for a body simdjson's DOM parser refused with `dom_error`.
std::string locate_json_error(const simdjson::padded_string& text, simdjson::error_code dom_error);

/// Parses `body`, which must be a JSON object, into `out`. `out` lives in this
/// thread's parser: it is valid until the thread's next call.
bool parse_json_object(std::string_view body, simdjson::dom::object& out, std::string& error);

/// Appends the strings of array `v` to `out`; else "<key> must be an array of strings".
bool read_string_array(simdjson::dom::element v, std::string_view key,
                       std::vector<std::string>& out, std::string& error);

}  // namespace rtfeat::serve
