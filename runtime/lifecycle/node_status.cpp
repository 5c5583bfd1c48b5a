// node_status as one line of JSON: written with snprintf, read with simdjson.
#include "runtime/lifecycle/node_status.hpp"

#include <simdjson.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rtfeat {

bool write_node_status(const std::string& path, const node_status& s, std::string& error) {
  char text[256];
  int n = std::snprintf(text, sizeof text,
                        "{\"state\":\"processing\",\"processing_since_unix_ms\":%" PRId64
                        ",\"checkpoint\":%" PRIu64 ",\"starts\":%" PRIu64 ",\"resumed_from_checkpoint\":%" PRIu64
                        "}\n",
                        s.processing_since_unix_ms, s.checkpoint, s.starts, s.resumed_from_checkpoint);
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return error = tmp + ": " + std::strerror(errno), false;
  bool ok = std::fwrite(text, 1, static_cast<size_t>(n), f) == static_cast<size_t>(n);
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    return error = path + ": " + std::strerror(errno), std::remove(tmp.c_str()), false;
  return true;
}

std::optional<node_status> read_node_status(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.str()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  node_status s;
  if (doc["processing_since_unix_ms"].get(s.processing_since_unix_ms) != simdjson::SUCCESS
      || doc["checkpoint"].get(s.checkpoint) != simdjson::SUCCESS || doc["starts"].get(s.starts) != simdjson::SUCCESS
      || doc["resumed_from_checkpoint"].get(s.resumed_from_checkpoint) != simdjson::SUCCESS)
    return std::nullopt;
  return s;
}

}  // namespace rtfeat
