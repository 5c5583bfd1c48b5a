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
  char head[256];
  std::snprintf(head, sizeof head,
                "{\"state\":\"processing\",\"processing_since_unix_ms\":%" PRId64 ",\"checkpoint\":%" PRIu64
                ",\"starts\":%" PRIu64 ",\"resumed_from_checkpoint\":%" PRIu64 ",\"resume_ms\":%" PRId64,
                s.processing_since_unix_ms, s.checkpoint, s.starts, s.resumed_from_checkpoint, s.resume_ms);
  std::string text = head;
  text += ",\"resume_stages\":\"";
  for (char c : s.resume_stages)  // stage names are plain words; keep the JSON valid anyway
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) text += c;
  text += "\"}\n";
  const auto n = text.size();
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return error = tmp + ": " + std::strerror(errno), false;
  bool ok = std::fwrite(text.data(), 1, n, f) == n;
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
  // Written since the drill reported rollback stages: optional for an older node's file.
  if (doc["resume_ms"].get(s.resume_ms) != simdjson::SUCCESS) s.resume_ms = 0;
  std::string_view stages;
  if (doc["resume_stages"].get(stages) == simdjson::SUCCESS) s.resume_stages = stages;
  return s;
}

}  // namespace rtfeat
