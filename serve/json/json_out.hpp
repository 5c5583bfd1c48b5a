// Appending JSON text to one growing buffer: no allocation per value, and
// numbers that Redis already holds as decimal text are copied, not converted.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtfeat::serve {

/// Appends `s` as a JSON string (quotes, escapes; invalid UTF-8 bytes become U+FFFD).
void append_json_string(std::string& out, std::string_view s);

inline void append_json_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 chars hold any int64
  out.append(buf, end);
}

/// `-?[0-9]+`, at most 19 digits: safe to copy as a JSON integer.
bool is_json_integer(std::string_view s);
/// `-?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?`: safe to copy as a JSON number.
bool is_json_number(std::string_view s);

}  // namespace rtfeat::serve
