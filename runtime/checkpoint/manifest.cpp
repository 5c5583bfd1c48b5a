// Manifest JSON: a small hand-written writer (fixed layout, so the trailing CRC
// line can be located again) and a simdjson DOM reader that checks every field.
// 64-bit hashes and CRCs are hex strings: jq and friends would round big numbers.
#include "runtime/checkpoint/manifest.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include "runtime/checkpoint/crc32c.hpp"
#include "runtime/checkpoint/hex.hpp"
#include "runtime/checkpoint/manifest_json.hpp"
#include "runtime/checkpoint/snapshot_file.hpp"

namespace rtfeat {

const snapshot_entry* checkpoint_manifest::find(uint32_t key_group) const {
  for (const auto& s : snapshots)
    if (s.key_group == key_group) return &s;
  return nullptr;
}

uint64_t checkpoint_manifest::snapshot_bytes() const {
  uint64_t total = 0;
  for (const auto& s : snapshots) total += s.size;
  return total;
}

uint64_t checkpoint_manifest::written_bytes() const {
  uint64_t total = 0;
  for (const auto& s : snapshots) total += s.stored_in == 0 ? s.size : 0;
  return total;
}

size_t checkpoint_manifest::referenced_count() const {
  size_t n = 0;
  for (const auto& s : snapshots) n += s.stored_in != 0;
  return n;
}

namespace {

constexpr std::string_view crc_line = "\n  \"manifest_crc32c\": \"";

void write_snapshots(std::string& out, std::vector<snapshot_entry> s) {
  std::sort(s.begin(), s.end(),
            [](const auto& a, const auto& b) { return a.key_group < b.key_group; });
  out += "  \"snapshots\": [";
  for (size_t i = 0; i < s.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    out += "{\"key_group\": " + std::to_string(s[i].key_group) + ", \"file\": ";
    json_append_string(out, s[i].file);
    out += ", \"size\": " + std::to_string(s[i].size) + ", \"crc32c\": \"" + hex32(s[i].crc) + "\"";
    // Absent for a file in the checkpoint's own directory (all of them in version 1).
    if (s[i].stored_in != 0) out += ", \"stored_in\": " + std::to_string(s[i].stored_in);
    out += "}";
  }
  out += s.empty() ? "],\n" : "\n  ],\n";
}

void write_positions(std::string& out, std::vector<partition_position> p) {
  std::sort(p.begin(), p.end(), [](const auto& a, const auto& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  out += "  \"positions\": [";
  for (size_t i = 0; i < p.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    out += "{\"topic\": ";
    json_append_string(out, p[i].topic);
    out += ", \"partition\": " + std::to_string(p[i].partition)
           + ", \"next_offset\": " + std::to_string(p[i].next_offset) + ", \"watermark\": "
           + (p[i].watermark ? std::to_string(*p[i].watermark) : "null");
    // Absent when none, so manifests without the rule read the same as before.
    if (p[i].future_suspect) out += ", \"future_suspect\": " + std::to_string(*p[i].future_suspect);
    out += "}";
  }
  out += p.empty() ? "],\n" : "\n  ],\n";
}

void write_meta(std::string& out, const std::map<std::string, std::string>& meta) {
  out += "  \"meta\": {";
  bool first = true;
  for (const auto& [k, v] : meta) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    json_append_string(out, k);
    out += ": ";
    json_append_string(out, v);
  }
  out += meta.empty() ? "}," : "\n  },";
}

}  // namespace

std::string encode_manifest(const checkpoint_manifest& m) {
  // Version 1 when nothing is referenced: a build without references reads it right;
  // it refuses version 2 instead of looking for referenced files in the wrong place.
  const int version = m.referenced_count() > 0 ? manifest_format_version : 1;
  std::string out = "{\n  \"format\": \"rtfeat-checkpoint\",\n  \"version\": "
                    + std::to_string(version) + ",\n";
  out += "  \"checkpoint_id\": " + std::to_string(m.id) + ",\n";
  out += "  \"created_ms\": " + std::to_string(m.created_ms) + ",\n";
  out += "  \"catalogue_hash\": \"" + hex64(m.catalogue_hash) + "\",\n";
  write_snapshots(out, m.snapshots);
  write_positions(out, m.positions);
  write_meta(out, m.meta);
  // The CRC covers every byte up to and including the newline before its own line.
  out += '\n';
  const uint32_t crc = crc32c(out);
  out += "  \"manifest_crc32c\": \"" + hex32(crc) + "\"\n}\n";
  return out;
}

namespace {

namespace sj = simdjson;

// "stored_in", when present: an older checkpoint of the same store.
bool read_stored_in(sj::dom::object o, const std::string& where, uint64_t id, snapshot_entry& s,
                    std::string& error) {
  sj::dom::element v;
  if (o["stored_in"].get(v) != sj::SUCCESS) return true;
  if (v.get_uint64().get(s.stored_in) != sj::SUCCESS || s.stored_in == 0 || s.stored_in >= id)
    return error = where + ".stored_in: not an older checkpoint id (this one is " + std::to_string(id) + ")",
           false;
  return true;
}

bool read_snapshots(sj::dom::array arr, checkpoint_manifest& m, std::string& error) {
  std::set<uint32_t> seen;
  for (sj::dom::element e : arr) {
    const std::string where = "snapshots[" + std::to_string(m.snapshots.size()) + "]";
    sj::dom::object o;
    uint64_t kg = 0, crc = 0;
    snapshot_entry s;
    if (e.get_object().get(o) != sj::SUCCESS) return error = where + ": not an object", false;
    if (!json_u64(o, "key_group", where, kg, error) || !json_string(o, "file", where, s.file, error)
        || !json_u64(o, "size", where, s.size, error) || !json_hex(o, "crc32c", where, crc, error))
      return false;
    if (kg > UINT32_MAX || crc > UINT32_MAX)
      return error = where + ": key_group or crc32c out of range", false;
    s.key_group = static_cast<uint32_t>(kg);
    s.crc = static_cast<uint32_t>(crc);
    if (!read_stored_in(o, where, m.id, s, error)) return false;
    if (s.file != snapshot_file_name(s.key_group))
      return error = where + ".file: \"" + s.file + "\" is not " + snapshot_file_name(s.key_group),
             false;
    if (!seen.insert(s.key_group).second)
      return error = where + ": key group " + std::to_string(kg) + " listed twice", false;
    m.snapshots.push_back(std::move(s));
  }
  return true;
}

bool read_positions(sj::dom::array arr, checkpoint_manifest& m, std::string& error) {
  for (sj::dom::element e : arr) {
    const std::string where = "positions[" + std::to_string(m.positions.size()) + "]";
    sj::dom::object o;
    sj::dom::element wm;
    int64_t part = 0, w = 0;
    partition_position p;
    if (e.get_object().get(o) != sj::SUCCESS) return error = where + ": not an object", false;
    if (!json_string(o, "topic", where, p.topic, error)
        || !json_i64(o, "partition", where, part, error)
        || !json_i64(o, "next_offset", where, p.next_offset, error))
      return false;
    if (part < 0 || part > INT32_MAX) return error = where + ".partition: out of range", false;
    p.partition = static_cast<int32_t>(part);
    if (o["watermark"].get(wm) != sj::SUCCESS) return error = where + ".watermark: missing", false;
    if (!wm.is_null()) {
      if (wm.get_int64().get(w) != sj::SUCCESS)
        return error = where + ".watermark: not an integer or null", false;
      p.watermark = w;
    }
    if (o["future_suspect"].get(wm) == sj::SUCCESS) {
      if (wm.get_int64().get(w) != sj::SUCCESS) return error = where + ".future_suspect: not an integer", false;
      p.future_suspect = w;
    }
    m.positions.push_back(std::move(p));
  }
  return true;
}

bool read_meta(sj::dom::object root, checkpoint_manifest& m, std::string& error) {
  sj::dom::object meta;
  if (root["meta"].get_object().get(meta) != sj::SUCCESS)
    return error = "meta: missing or not an object", false;
  for (auto [key, value] : meta) {
    std::string_view v;
    if (value.get_string().get(v) != sj::SUCCESS)
      return error = "meta." + std::string(key) + ": not a string", false;
    m.meta[std::string(key)] = std::string(v);
  }
  return true;
}

// Finds the CRC line and checks it against the bytes before it.
bool check_crc(std::string_view text, std::string& error) {
  const auto pos = text.rfind(crc_line);
  if (pos == std::string_view::npos)
    return error = "no manifest_crc32c line (truncated or edited by hand?)", false;
  const uint32_t computed = crc32c(text.substr(0, pos + 1));
  uint32_t stored = 0;
  const char* first = text.data() + pos + crc_line.size() + 2;  // skip "0x"
  if (pos + crc_line.size() + 10 > text.size()
      || std::from_chars(first, first + 8, stored, 16).ptr != first + 8)
    return error = "manifest_crc32c: not a 0x-prefixed 8-digit hex number", false;
  if (stored != computed)
    return error = "manifest checksum mismatch (stored " + hex32(stored) + ", computed "
                   + hex32(computed) + ")",
           false;
  return true;
}

}  // namespace

bool decode_manifest(std::string_view text, checkpoint_manifest& out, std::string& error) {
  out = checkpoint_manifest{};
  if (!check_crc(text, error)) return false;
  sj::dom::parser parser;
  sj::dom::object root;
  const sj::padded_string padded(text);
  if (const auto e = parser.parse(padded).get_object().get(root); e != sj::SUCCESS)
    return error = std::string("not a JSON object: ") + sj::error_message(e), false;
  std::string format;
  uint64_t version = 0;
  if (!json_string(root, "format", "manifest", format, error)
      || !json_u64(root, "version", "manifest", version, error))
    return false;
  if (format != "rtfeat-checkpoint" || version < 1 || version > manifest_format_version)
    return error = "unsupported manifest format \"" + format + "\" version "
                   + std::to_string(version) + " (this build reads versions 1 and 2)",
           false;
  sj::dom::array snapshots, positions;
  // The id first: stored_in is checked against it.
  return json_u64(root, "checkpoint_id", "manifest", out.id, error)
         && json_i64(root, "created_ms", "manifest", out.created_ms, error)
         && json_hex(root, "catalogue_hash", "manifest", out.catalogue_hash, error)
         && json_array(root, "snapshots", "manifest", snapshots, error)
         && json_array(root, "positions", "manifest", positions, error)
         && read_snapshots(snapshots, out, error) && read_positions(positions, out, error)
         && read_meta(root, out, error);
}

}  // namespace rtfeat
