// Snapshot body summaries. msgpack-c throws on malformed input: every exception is
// caught here and turned into a line of text, since the body is a caller's blob
// and may legitimately be anything.
#include "runtime/checkpoint/body_summary.hpp"

#include <cstdio>
#include <exception>

#include <msgpack.hpp>

namespace rtfeat {

std::string hex_dump(std::string_view bytes, size_t max_bytes) {
  std::string out;
  const size_t n = bytes.size() < max_bytes ? bytes.size() : max_bytes;
  for (size_t line = 0; line < n; line += 16) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08zx  ", line);
    out += buf;
    std::string ascii;
    for (size_t i = line; i < line + 16; ++i) {
      if (i < n) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        std::snprintf(buf, sizeof buf, "%02x ", c);
        out += buf;
        ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
      } else {
        out += "   ";
      }
    }
    out += " |" + ascii + "|\n";
  }
  if (n < bytes.size()) out += "... (" + std::to_string(bytes.size() - n) + " more bytes)\n";
  return out;
}

namespace {

const char* type_name(msgpack::type::object_type t) {
  switch (t) {
    case msgpack::type::NIL:
      return "nil";
    case msgpack::type::BOOLEAN:
      return "bool";
    case msgpack::type::POSITIVE_INTEGER:
      return "uint";
    case msgpack::type::NEGATIVE_INTEGER:
      return "int";
    case msgpack::type::FLOAT32:
      return "float32";
    case msgpack::type::FLOAT64:
      return "float64";
    case msgpack::type::STR:
      return "str";
    case msgpack::type::BIN:
      return "bin";
    case msgpack::type::ARRAY:
      return "array";
    case msgpack::type::MAP:
      return "map";
    case msgpack::type::EXT:
      return "ext";
  }
  return "?";
}

std::string describe(const msgpack::object& o) {
  std::string s = type_name(o.type);
  if (o.type == msgpack::type::ARRAY) {
    s += " of " + std::to_string(o.via.array.size) + " elements";
    if (o.via.array.size > 0)
      s += std::string(" (first: ") + type_name(o.via.array.ptr[0].type) + ")";
  } else if (o.type == msgpack::type::MAP) {
    s += " of " + std::to_string(o.via.map.size) + " entries";
    if (o.via.map.size > 0)
      s += std::string(" (keys: ") + type_name(o.via.map.ptr[0].key.type)
           + ", values: " + type_name(o.via.map.ptr[0].val.type) + ")";
  } else if (o.type == msgpack::type::STR || o.type == msgpack::type::BIN) {
    s += " of " + std::to_string(o.type == msgpack::type::STR ? o.via.str.size : o.via.bin.size)
         + " bytes";
  }
  return s;
}

}  // namespace

std::string describe_msgpack(std::string_view bytes, size_t max_objects) {
  std::string out;
  size_t offset = 0, count = 0;
  try {
    while (offset < bytes.size()) {
      const size_t start = offset;
      msgpack::object_handle oh = msgpack::unpack(bytes.data(), bytes.size(), offset);
      if (count < max_objects)
        out += "#" + std::to_string(count) + " at byte " + std::to_string(start) + ": "
               + describe(oh.get()) + "\n";
      ++count;
    }
  } catch (const std::exception& e) {
    return out + "not msgpack from byte " + std::to_string(offset) + ": " + e.what() + "\n";
  }
  if (count > max_objects) out += "... " + std::to_string(count - max_objects) + " more objects\n";
  if (count == 0) out += "(empty body)\n";
  return out;
}

}  // namespace rtfeat
