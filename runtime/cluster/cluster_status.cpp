// cluster_status (see cluster_status.hpp): placement gives each member its
// partitions and key groups; its lag is summed over its partitions.
#include "runtime/cluster/cluster_status.hpp"

#include <cstdio>
#include <map>

#include "runtime/checkpoint/manifest_json.hpp"
#include "runtime/cluster/placement.hpp"

namespace rtfeat {

namespace {

/// Where a restart would read `partition` from: the checkpoint's offset, else the low watermark.
std::optional<int64_t> restart_offset(const std::optional<checkpoint_manifest>& newest,
                                      const partition_offsets& ends) {
  if (!newest) return ends.low;
  for (const auto& p : newest->positions)
    if (p.partition == ends.partition) return p.next_offset;
  return std::nullopt;  // a checkpoint without this partition: unknown
}

void append_optional(std::string& out, const std::optional<int64_t>& v) {
  out += v ? std::to_string(*v) : "null";
}

}  // namespace

cluster_status describe_cluster(const job_config& cfg,
                                const std::optional<checkpoint_manifest>& newest,
                                const std::vector<partition_offsets>* ends,
                                const std::vector<bool>& reachable) {
  cluster_status s;
  const auto nodes = static_cast<uint32_t>(cfg.nodes.size());
  s.partitions = static_cast<uint32_t>(cfg.source_partitions);
  s.max_parallelism = static_cast<uint32_t>(cfg.max_parallelism);
  const placement place(nodes, s.partitions, s.max_parallelism,
                        static_cast<uint32_t>(cfg.user_shards),
                        static_cast<uint32_t>(cfg.category_shards));
  if (newest) s.checkpoint_id = newest->id, s.checkpoint_created_ms = newest->created_ms;
  std::map<int32_t, const partition_offsets*> by_partition;
  if (ends != nullptr) {
    for (const auto& e : *ends) by_partition[e.partition] = &e;
    s.checkpoint_lag = 0;
  }
  for (uint32_t n = 0; n < nodes; ++n) {
    member_status m;
    m.id = cfg.nodes[n].id;
    m.host = cfg.nodes[n].host;
    m.port = cfg.nodes[n].port;
    if (n < reachable.size()) m.reachable = reachable[n];
    m.partitions = place.partitions_of(n);
    std::tie(m.first_key_group, m.end_key_group) = place.key_groups_of(n);
    if (ends != nullptr) {
      m.checkpoint_lag = 0;
      for (auto p : m.partitions) {
        auto it = by_partition.find(p);
        auto from = it == by_partition.end() ? std::nullopt : restart_offset(newest, *it->second);
        if (!from) {
          m.checkpoint_lag.reset();
          break;
        }
        *m.checkpoint_lag += std::max<int64_t>(0, it->second->high - *from);
      }
    }
    if (s.checkpoint_lag && m.checkpoint_lag)
      *s.checkpoint_lag += *m.checkpoint_lag;
    else
      s.checkpoint_lag.reset();
    s.members.push_back(std::move(m));
  }
  return s;
}

std::string cluster_status_json(const cluster_status& s, int64_t now_ms) {
  std::string out = "{\"epoch\":" + std::to_string(s.epoch) + ",\"change\":";
  json_append_string(out, s.change);
  out += ",\"members\":[";
  for (size_t i = 0; i < s.members.size(); ++i) {
    const auto& m = s.members[i];
    out += i ? "," : "";
    out += "{\"id\":";
    json_append_string(out, m.id);
    out += ",\"address\":";
    json_append_string(out, m.address());
    out += ",\"reachable\":";
    out += m.reachable ? (*m.reachable ? "true" : "false") : "null";
    out += ",\"partitions\":[";
    for (size_t p = 0; p < m.partitions.size(); ++p)
      out += (p ? "," : "") + std::to_string(m.partitions[p]);
    out += "],\"key_groups\":[" + std::to_string(m.first_key_group) + ","
           + std::to_string(m.end_key_group) + "],\"checkpoint_lag\":";
    append_optional(out, m.checkpoint_lag);
    out += "}";
  }
  out += "],\"partitions\":" + std::to_string(s.partitions)
         + ",\"max_parallelism\":" + std::to_string(s.max_parallelism) + ",\"checkpoint\":";
  if (s.checkpoint_id)
    out += "{\"id\":" + std::to_string(*s.checkpoint_id)
           + ",\"created_ms\":" + std::to_string(s.checkpoint_created_ms)
           + ",\"age_ms\":" + std::to_string(now_ms - s.checkpoint_created_ms) + "}";
  else
    out += "null";
  out += ",\"checkpoint_lag\":";
  append_optional(out, s.checkpoint_lag);
  return out + "}";
}

std::string cluster_status_text(const cluster_status& s, int64_t now_ms) {
  std::string out = "membership epoch " + std::to_string(s.epoch) + " (" + s.change + ")\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-12s %-22s %-11s %-13s %-13s %s\n", "member", "address",
                "port open", "partitions", "key groups", "events after the checkpoint");
  out += line;
  for (const auto& m : s.members) {
    const std::string parts = m.partitions.empty() ? "none"
                                                   : std::to_string(m.partitions.front()) + "-"
                                                       + std::to_string(m.partitions.back());
    const std::string groups =
      std::to_string(m.first_key_group) + "-" + std::to_string(m.end_key_group - 1);
    const char* open = m.reachable ? (*m.reachable ? "yes" : "NO") : "not asked";
    const std::string lag = m.checkpoint_lag ? std::to_string(*m.checkpoint_lag) : "unknown";
    std::snprintf(line, sizeof line, "%-12s %-22s %-11s %-13s %-13s %s\n", m.id.c_str(),
                  m.address().c_str(), open, parts.c_str(), groups.c_str(), lag.c_str());
    out += line;
  }
  if (s.checkpoint_id)
    std::snprintf(line, sizeof line, "newest checkpoint: %llu, %.1f s old; ",
                  static_cast<unsigned long long>(*s.checkpoint_id),
                  static_cast<double>(now_ms - s.checkpoint_created_ms) / 1000.0);
  else
    std::snprintf(line, sizeof line, "no complete checkpoint; ");
  out += line;
  out += "events after it: "
         + (s.checkpoint_lag ? std::to_string(*s.checkpoint_lag) : std::string("unknown")) + " ("
         + std::to_string(s.partitions) + " partitions, " + std::to_string(s.max_parallelism)
         + " key groups)\n";
  return out;
}

}  // namespace rtfeat
