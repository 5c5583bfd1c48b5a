// Query string parsing (see query_string.hpp).
#include "serve/api/query_string.hpp"

namespace rtfeat::serve {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return true;
}

bool parse_features_query(std::string_view query, std::vector<std::string>& names, bool& only_named,
                          std::string& error) {
  names.clear();
  only_named = false;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) continue;
    auto eq = param.find('=');
    std::string key, value;
    if (!percent_decode(param.substr(0, eq), key)
        || !percent_decode(eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1), value))
      return error = "bad percent-encoding in the query string", false;
    if (key != "features") return error = "unknown query parameter '" + key + "' (features)", false;
    only_named = true;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto name = rest.substr(0, comma);
      if (!name.empty()) names.emplace_back(name);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return true;
}

}  // namespace rtfeat::serve
