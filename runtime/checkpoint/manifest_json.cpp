// Manifest JSON helpers. simdjson reports errors as codes; these wrap them into
// messages that name the field, because a manifest error ends up in a restore log.
#include "runtime/checkpoint/manifest_json.hpp"

#include <charconv>
#include <cstdio>

namespace rtfeat {

namespace sj = simdjson;

void json_append_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

namespace {

bool field(sj::dom::object o, std::string_view key, std::string_view where, sj::dom::element& out,
           std::string& error) {
  if (o[key].get(out) == sj::SUCCESS) return true;
  error = std::string(where) + "." + std::string(key) + ": missing";
  return false;
}

bool wrong(std::string_view key, std::string_view where, std::string_view what,
           std::string& error) {
  error = std::string(where) + "." + std::string(key) + ": " + std::string(what);
  return false;
}

}  // namespace

bool json_u64(sj::dom::object o, std::string_view key, std::string_view where, uint64_t& out,
              std::string& error) {
  sj::dom::element e;
  if (!field(o, key, where, e, error)) return false;
  return e.get_uint64().get(out) == sj::SUCCESS
         || wrong(key, where, "not an unsigned integer", error);
}

bool json_i64(sj::dom::object o, std::string_view key, std::string_view where, int64_t& out,
              std::string& error) {
  sj::dom::element e;
  if (!field(o, key, where, e, error)) return false;
  return e.get_int64().get(out) == sj::SUCCESS || wrong(key, where, "not an integer", error);
}

bool json_string(sj::dom::object o, std::string_view key, std::string_view where, std::string& out,
                 std::string& error) {
  sj::dom::element e;
  std::string_view s;
  if (!field(o, key, where, e, error)) return false;
  if (e.get_string().get(s) != sj::SUCCESS) return wrong(key, where, "not a string", error);
  out.assign(s);
  return true;
}

bool json_hex(sj::dom::object o, std::string_view key, std::string_view where, uint64_t& out,
              std::string& error) {
  std::string s;
  if (!json_string(o, key, where, s, error)) return false;
  const char* end = s.data() + s.size();
  if (s.size() < 3 || s.size() > 18 || s.compare(0, 2, "0x") != 0
      || std::from_chars(s.data() + 2, end, out, 16).ptr != end)
    return wrong(key, where, "not a 0x-prefixed hex number of at most 16 digits", error);
  return true;
}

bool json_array(sj::dom::object o, std::string_view key, std::string_view where,
                sj::dom::array& out, std::string& error) {
  sj::dom::element e;
  if (!field(o, key, where, e, error)) return false;
  return e.get_array().get(out) == sj::SUCCESS || wrong(key, where, "not an array", error);
}

}  // namespace rtfeat
