// The query string of GET /v1/<entities>/<id>/features: `features=a,b`
// (percent-encoded or not). Any other parameter is an error, so a typo is
// never silently ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtfeat::serve {

/// Splits `query` (the text after '?'); `only_named` is true when `features` was given.
bool parse_features_query(std::string_view query, std::vector<std::string>& names, bool& only_named,
                          std::string& error);

/// Percent-decodes `in` ('+' is a space); false on a bad escape.
bool percent_decode(std::string_view in, std::string& out);

}  // namespace rtfeat::serve
