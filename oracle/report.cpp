// JSON stats and text dump of an oracle run (see report.hpp). Every value in
// the JSON is a number or null, and reason names are fixed identifiers, so no
// string escaping is needed.
#include "oracle/report.hpp"

#include <fstream>

namespace rtfeat::oracle {

namespace {

std::string number_or_null(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : "null";
}

}  // namespace

std::string stats_json(const expected_state& state, std::optional<uint64_t> differences) {
  const auto& s = state.stats;
  std::string j = "{\"lines\":" + std::to_string(s.lines)
                  + ",\"accepted\":" + std::to_string(s.accepted)
                  + ",\"rejected\":" + std::to_string(s.rejected) + ",\"rejected_by_reason\":{";
  for (size_t i = 0; i < reject_reason_count; ++i) {
    if (i > 0) j += ",";
    j +=
      "\"" + std::string(reject_reason_names[i]) + "\":" + std::to_string(s.rejected_by_reason[i]);
  }
  j += "},\"late\":" + std::to_string(s.late) + ",\"kept\":" + std::to_string(s.kept)
       + ",\"final_watermark\":" + number_or_null(s.final_watermark)
       + ",\"expected_keys\":" + std::to_string(state.keys.size()) + ",\"differences\":"
       + (differences ? std::to_string(*differences) : std::string("null")) + "}\n";
  return j;
}

std::string dump_text(const expected_state& state) {
  std::string out;
  for (const auto& [key, fields] : state.keys) {
    auto ttl = state.ttl_s.find(key);
    out += key;
    out += ttl == state.ttl_s.end() ? " ttl=none" : " ttl=" + std::to_string(ttl->second);
    for (const auto& [field, value] : fields) out += " " + field + "=" + value;
    out += "\n";
  }
  return out;
}

bool write_text_file(const std::string& path, const std::string& text, std::string& error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return error = path + ": cannot open for writing", false;
  out << text;
  out.flush();
  if (!out) return error = path + ": write failed", false;
  return true;
}

}  // namespace rtfeat::oracle
