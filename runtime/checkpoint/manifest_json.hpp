// JSON helpers for the manifest: string escaping for the writer, and typed field
// readers over simdjson's DOM whose errors say which field of which entry was wrong
// ("snapshots[3].size: not an unsigned integer").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace rtfeat {

/// Appends `s` as a JSON string literal (quotes, escapes, control characters as \u00XX).
void json_append_string(std::string& out, std::string_view s);

/// Reads field `key` of `o`. On failure `error` is "<where>.<key>: <problem>".
bool json_u64(simdjson::dom::object o, std::string_view key, std::string_view where, uint64_t& out,
              std::string& error);
bool json_i64(simdjson::dom::object o, std::string_view key, std::string_view where, int64_t& out,
              std::string& error);
bool json_string(simdjson::dom::object o, std::string_view key, std::string_view where,
                 std::string& out, std::string& error);
/// A "0x..." hex string of at most 16 digits.
bool json_hex(simdjson::dom::object o, std::string_view key, std::string_view where, uint64_t& out,
              std::string& error);
bool json_array(simdjson::dom::object o, std::string_view key, std::string_view where,
                simdjson::dom::array& out, std::string& error);

}  // namespace rtfeat
