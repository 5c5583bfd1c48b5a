// The cluster node list: parsing and validation of `[[cluster.node]]`, node
// selection by --node-id, and the placement fingerprint (cluster_nodes.hpp).
#include "config/cluster_nodes.hpp"

#include <algorithm>

#include "config/cluster_nodes_parse.hpp"
#include "config/job_config.hpp"

namespace rtfeat {

bool valid_node_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

namespace {

std::string ids_of(const std::vector<cluster_node>& nodes) {
  std::string out;
  for (const auto& n : nodes) out += (out.empty() ? "" : ", ") + n.id;
  return out;
}

std::string line_of(const std::string& path, const toml::node& n) {
  return path + ":" + std::to_string(n.source().begin.line) + ": ";
}

/// One `[[cluster.node]]` table; `key` is "cluster.node[i]".
bool parse_one(const toml::table& t, const std::string& key, const std::string& path, cluster_node& out,
               std::string& error) {
  auto where = line_of(path, t);
  for (auto&& [k, v] : t) {
    auto name = std::string(k.str());
    auto at = line_of(path, v);
    if (name != "id" && name != "host" && name != "port")
      return error = at.append("unknown key '").append(key).append(".").append(name).append("' (a node has id, host, port)"),
             false;
    if (name == "port") {
      auto p = v.value<int64_t>();
      if (!v.is_integer() || !p) return error = at + key + ".port: expected an integer", false;
      if (*p < 1 || *p > 65535)
        return error = at + key + ".port: expected 1..65535, got " + std::to_string(*p), false;
      out.port = *p;
      continue;
    }
    auto s = v.value<std::string>();
    if (!v.is_string() || !s) return error = at.append(key).append(".").append(name).append(": expected a string"), false;
    if (name == "id" && !valid_node_id(*s))
      return error = at + key + ".id: '" + *s + "' is not a node id (1-64 of A-Z a-z 0-9 _ -)", false;
    if (name == "host" && (s->empty() || s->find_first_of(" \t/") != std::string::npos))
      return error = at + key + ".host: '" + *s + "' is not a host name or address", false;
    (name == "id" ? out.id : out.host) = *s;
  }
  if (out.id.empty()) return error = where + key + ".id: required", false;
  if (out.port == 0) return error = where + key + ".port: required", false;
  return true;
}

}  // namespace

bool parse_cluster_nodes(const toml::node& value, const std::string& path, std::vector<cluster_node>& out,
                         std::string& error) {
  const auto* list = value.as_array();
  auto line = [&](const toml::node& n) { return line_of(path, n); };
  if (list == nullptr || !list->is_array_of_tables())
    return error = line(value) + "cluster.node: expected [[cluster.node]] tables (id, host, port)", false;
  out.clear();
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& t = *list->get(i)->as_table();
    auto key = "cluster.node[" + std::to_string(i) + "]";
    cluster_node n;
    if (!parse_one(t, key, path, n, error)) return false;
    for (size_t j = 0; j < out.size(); ++j) {
      auto other = "cluster.node[" + std::to_string(j) + "]";
      if (out[j].id == n.id)
        return error = line(t).append(key).append(".id: duplicate node id '").append(n.id).append("' (also ").append(other).append(")"),
               false;
      if (out[j].host == n.host && out[j].port == n.port)
        return error = line(t).append(key).append(": duplicate address ").append(n.host).append(":")
                         .append(std::to_string(n.port)).append(" (also ").append(other).append(" '").append(out[j].id).append("')"),
               false;
    }
    out.push_back(std::move(n));
  }
  return true;
}

bool select_cluster_node(const job_config& cfg, const std::string& config_path, const std::string& node_id,
                         size_t& index, std::string& error) {
  index = 0;
  const auto& nodes = cfg.nodes;
  if (nodes.empty()) {
    if (node_id.empty()) return true;
    return error = config_path + ": --node-id " + node_id + " given, but the config has no [[cluster.node]] list",
           false;
  }
  if (node_id.empty()) {
    if (nodes.size() == 1) return true;
    return error = config_path + ": the config lists " + std::to_string(nodes.size()) + " nodes (" + ids_of(nodes)
                   + "): pick this process's one with --node-id",
           false;
  }
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].id == node_id) return index = i, true;
  return error = config_path + ": --node-id " + node_id + ": no [[cluster.node]] has that id (the config lists "
                 + ids_of(nodes) + ")",
         false;
}

std::string cluster_fingerprint(const job_config& cfg) {
  std::string out = "nodes=";
  for (size_t i = 0; i < cfg.nodes.size(); ++i)
    out += (i ? "," : "") + cfg.nodes[i].id + "@" + cfg.nodes[i].host + ":" + std::to_string(cfg.nodes[i].port);
  out += " source=" + cfg.source_kind + (cfg.source_kind == "kafka" ? ":" + cfg.source_topic : "");
  out += " partitions=" + std::to_string(cfg.source_partitions);
  out += " max_parallelism=" + std::to_string(cfg.max_parallelism);
  out += " user_shards=" + std::to_string(cfg.user_shards);
  out += " category_shards=" + std::to_string(cfg.category_shards);
  out += " sinks=" + std::to_string(cfg.sinks);
  return out;
}

}  // namespace rtfeat
