// JSON stats and text dump of an oracle run (see report.hpp). Every value in
// the JSON is a number or null, and names are fixed identifiers, so no string
// escaping is needed.
#include "oracle/report.hpp"

#include <algorithm>
#include <fstream>

namespace rtfeat::oracle {

namespace {

std::string number_or_null(const std::optional<int64_t>& v) {
  return v ? std::to_string(*v) : "null";
}

template <size_t N>
std::string by_type_json(const std::array<uint64_t, N>& counts) {
  std::string j = "{";
  for (size_t t = 0; t < N; ++t) {
    auto name = t < value_type_count ? to_string(static_cast<value_type>(t)) : "other";
    j += (t > 0 ? ",\"" : "\"") + std::string(name) + "\":" + std::to_string(counts[t]);
  }
  return j + "}";
}

void dump_content(const expected_value& v, std::string& out) {
  if (const auto* h = std::get_if<field_map>(&v))
    for (const auto& [field, value] : *h) out.append(" ").append(field).append("=").append(value);
  if (const auto* l = std::get_if<list_value>(&v))
    for (const auto& item : l->items) out += " " + item;
  if (const auto* z = std::get_if<zset_value>(&v)) {
    std::vector<std::pair<int64_t, std::string>> ranked;
    for (const auto& [m, score] : z->scores) ranked.emplace_back(score, m);
    std::sort(ranked.begin(), ranked.end());
    for (const auto& [score, m] : ranked) out += " " + m + "=" + std::to_string(score);
  }
  if (const auto* s = std::get_if<string_value>(&v)) out += " " + s->text;
  if (const auto* h = std::get_if<hll_value>(&v)) {
    out += " " + std::to_string(h->members.size());
    for (const auto& m : h->members) out += " " + m;
  }
}

}  // namespace

std::array<uint64_t, value_type_count> keys_by_type(const expected_state& state) {
  std::array<uint64_t, value_type_count> n{};
  for (const auto& [key, value] : state.keys) ++n[value.index()];
  return n;
}

std::string stats_json(const expected_state& state, const diff_result* diff) {
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
       + ",\"expected_keys\":" + std::to_string(state.keys.size())
       + ",\"expected_keys_by_type\":" + by_type_json(keys_by_type(state))
       + ",\"undefined_keys\":" + std::to_string(state.undefined_fields.size())
       + ",\"not_compared_fields\":" + (diff != nullptr ? std::to_string(diff->undefined_fields) : "null")
       + ",\"differences\":"
       + (diff != nullptr ? std::to_string(diff->total()) : "null") + ",\"differences_by_type\":"
       + (diff != nullptr ? by_type_json(diff->by_type) : "null") + "}\n";
  return j;
}

std::string dump_text(const expected_state& state) {
  std::string out;
  for (const auto& [key, value] : state.keys) {
    auto ttl = state.ttl_s.find(key);
    out += key;
    out += ttl == state.ttl_s.end() ? " ttl=none " : " ttl=" + std::to_string(ttl->second) + " ";
    out += to_string(type_of(value));
    dump_content(value, out);
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
